export * from './types.js';
export * from './time.js';
export * from './validateNotice.js';
export * from './card.js';
