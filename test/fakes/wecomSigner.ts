/** The WeCom callback builders live in src/wecom/simulate.ts (the chat simulator uses them too). */
export * from '../../src/wecom/simulate.js';
