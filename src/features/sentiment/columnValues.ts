/** The value lists of the sentiment tables' enum columns, shared by tables.sqlite.ts and tables.mysql.ts. */
import { SENTIMENT_ACTIONS, SENTIMENT_SOURCES, SENTIMENT_STATES } from './domain/index.js';
import { TELL_STATUSES } from './ports.js';

export const SENTIMENT_STATE = SENTIMENT_STATES;
export const SENTIMENT_SOURCE = SENTIMENT_SOURCES;
export const SENTIMENT_ACTION = SENTIMENT_ACTIONS;
export const TELL_STATUS = TELL_STATUSES;
