/**
 * WeCom's size limits for app messages (message/send, doc 90236). The one place these numbers live: code that
 * batches or packs messages imports them from here.
 */

/** WeCom truncates text and markdown content beyond this many UTF-8 bytes. */
export const TEXT_MAX_BYTES = 2048;

/** At most this many userids in one message/send `touser`. */
export const MAX_RECIPIENTS_PER_SEND = 1000;
