export * from './types.js';
// Notices show and parse times in China time; shared/chinaTime.ts owns that, re-exported for the notice code.
export {
  atShanghaiHourOfDay,
  formatShanghai,
  formatShanghaiShort,
  parseShanghaiTime,
} from '../../../shared/chinaTime.js';
export * from './validateNotice.js';
export * from './card.js';
