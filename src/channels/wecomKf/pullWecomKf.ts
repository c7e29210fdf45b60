import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.js';
import { errorMessage } from '../../shared/errors.js';
import type { Database, KeyValueStore, Lock } from '../../core/ports.js';
import type { KfApi } from '../../wecom/api/kf.js';
import { WecomApiError } from '../../wecom/errors.js';
import type { KfGuard } from './kfGuard.js';
import { storeKfMessages, type KfCrypto } from './kfInbox.js';
import { kfStore } from './kfStore.js';

export interface KfPullerOptions {
  db: Database;
  kv: KeyValueStore;
  lock: Lock;
  api: KfApi;
  /** The 客服账号 the product serves (WECOM_KF_OPEN_KFIDS); notices for others are ignored. */
  openKfids: readonly string[];
  crypto: KfCrypto;
  clock: Clock;
  logger: Logger;
  /** The slow pull without a token (strictly rate-limited by WeCom): at most once per this, across instances. */
  timerMs: number;
  /** Wait before trying again when another instance is pulling or the API failed. */
  retryMs?: number;
  /** Citizens' rate limit and text length, applied before a message is stored (none: everything stored whole). */
  guard?: KfGuard;
  /** New messages are in the inbox: wake the worker. */
  onStored(): void;
}

export interface KfPuller {
  /**
   * A kf_msg_or_event notice was stored: records durably that a pull is wanted (with its token, which lifts the
   * strict rate limit), then pulls soon. The record outlives this instance: any instance's next pull, its timer or
   * its start-up does the pull, and only a pull that went past it clears it.
   */
  request(openKfid: string, token: string): Promise<void>;
  /** Pull soon (no record). */
  trigger(openKfid: string, token?: string): void;
  /** Pulls every page now; 'busy' when another instance holds this 客服账号's pull. */
  pull(openKfid: string, token?: string): Promise<{ pages: number; stored: number } | 'busy'>;
  start(): void;
  stop(): Promise<void>;
}

/** The callback token is valid 10 minutes (doc 94670); after that a pull goes without it. */
const TOKEN_TTL_MS = 9 * 60_000;
/** 95007: invalid msg token. */
const INVALID_TOKEN = 95007;
/**
 * The pull lock's life, extended after every page. Short, so a killed puller holds the account up for seconds; if it
 * lapses mid-page another puller may start, which the compare-and-set cursor and the inbox's msgid make harmless.
 */
const LOCK_TTL_MS = 15_000;
/** A runaway guard: 1000 messages a page, a million messages is far beyond 3 days of a county's 客服. */
const MAX_PAGES = 1000;
/** Notices arriving while a pull runs make it pull again, at most this many times (the record keeps the rest). */
const MAX_PASSES = 3;

/**
 * Pulls 微信客服 messages (kf/sync_msg) into the inbox. One puller per 客服账号 at a time across instances (a lock);
 * each page's messages are in the inbox before the cursor moves past them, and the cursor moves by compare-and-set,
 * so a crash, a repeated notice, an overlapping page or a second instance can only make a page be pulled again —
 * and a message pulled again is a no-op (the inbox is unique by msgid).
 */
export function createKfPuller(opts: KfPullerOptions): KfPuller {
  const retryMs = opts.retryMs ?? 2000;
  const store = kfStore(opts.db);
  const pending = new Map<string, { token?: string; since: number; attempt: number }>();
  const timers = new Set<NodeJS.Timeout>();
  let draining: Promise<void> | null = null;
  let stopping = false;
  let interval: NodeJS.Timeout | null = null;

  async function pull(openKfid: string, token?: string): Promise<{ pages: number; stored: number } | 'busy'> {
    const lockKey = `lock:kf-pull:${openKfid}`;
    const held = await opts.lock.acquire(lockKey, LOCK_TTL_MS);
    if (!held) return 'busy';
    let pages = 0;
    let stored = 0;
    try {
      for (let pass = 0; pass < MAX_PASSES; pass++) {
        // Read before pulling: a notice stored from now on bumps its seq, so it is not cleared unpulled.
        const wanted = await store.pullRequest(openKfid);
        const wantedToken =
          wanted && opts.clock.now().getTime() - wanted.requestedAt.getTime() < TOKEN_TTL_MS
            ? wanted.token
            : undefined;
        const r = await pullPages(openKfid, (pass === 0 ? token : undefined) ?? wantedToken, lockKey, held);
        pages += r.pages;
        stored += r.stored;
        // Another puller took over the cursor: the request stays for it (or for the next pull).
        if (!r.complete) break;
        if (
          wanted ? await store.clearPullRequest(openKfid, wanted.seq) : !(await store.pullRequest(openKfid))
        )
          break;
      }
    } finally {
      await opts.lock.release(lockKey, held).catch(() => undefined);
    }
    if (stored > 0) opts.logger.info({ openKfid, pages, stored }, 'kf messages pulled');
    return { pages, stored };
  }

  /** Every page from the saved cursor until has_more = 0; `complete` false when another puller moved the cursor. */
  async function pullPages(
    openKfid: string,
    token: string | undefined,
    lockKey: string,
    held: string,
  ): Promise<{ pages: number; stored: number; complete: boolean }> {
    let pages = 0;
    let stored = 0;
    let cursor = await store.cursor(openKfid);
    let useToken = token;
    while (pages < MAX_PAGES) {
      let page;
      try {
        page = await opts.api.syncMsg({ openKfid, cursor, ...(useToken ? { token: useToken } : {}) });
      } catch (err) {
        // An expired or used-up notice token: the same pull without it.
        if (useToken && err instanceof WecomApiError && err.errcode === INVALID_TOKEN) {
          useToken = undefined;
          continue;
        }
        throw err;
      }
      pages += 1;
      if (page.skipped > 0)
        opts.logger.warn({ openKfid, skipped: page.skipped }, 'kf messages not understood');
      const now = opts.clock.now();
      const fresh = await storeKfMessages(
        opts.db,
        { openKfid, messages: page.messages },
        opts.crypto,
        now,
        opts.guard,
      );
      stored += fresh;
      if (fresh > 0) opts.onStored();
      // Only now, with the page in the inbox, may the cursor pass it.
      if (page.nextCursor !== '' && page.nextCursor !== cursor) {
        if (!(await store.advanceCursor(openKfid, cursor, page.nextCursor, now))) {
          opts.logger.info({ openKfid }, 'another puller moved the kf cursor; leaving the rest to it');
          return { pages, stored, complete: false };
        }
        cursor = page.nextCursor;
      }
      await opts.lock.extend(lockKey, held, LOCK_TTL_MS);
      // An empty page may still have has_more = 1 (doc 94670): only has_more ends the loop.
      if (!page.hasMore) return { pages, stored, complete: true };
    }
    return { pages, stored, complete: false };
  }

  function trigger(openKfid: string, token?: string, retry?: { attempt: number; since: number }): void {
    if (stopping) return;
    if (!opts.openKfids.includes(openKfid)) {
      opts.logger.warn({ openKfid }, 'kf notice for a 客服账号 not in WECOM_KF_OPEN_KFIDS; ignored');
      return;
    }
    const known = pending.get(openKfid);
    // Keep the freshest token: the pull it lets through is not rate-limited.
    const fresh = token ? { token, since: retry?.since ?? Date.now() } : null;
    const kept = known?.token ? { token: known.token, since: known.since } : null;
    pending.set(openKfid, { ...(fresh ?? kept ?? { since: Date.now() }), attempt: retry?.attempt ?? 0 });
    draining ??= drain().finally(() => {
      draining = null;
    });
  }

  async function drain(): Promise<void> {
    while (pending.size > 0 && !stopping) {
      for (const [openKfid, req] of [...pending]) {
        pending.delete(openKfid);
        const token = req.token && Date.now() - req.since < TOKEN_TTL_MS ? req.token : undefined;
        let outcome: 'busy' | 'failed' | 'done';
        try {
          outcome = (await pull(openKfid, token)) === 'busy' ? 'busy' : 'done';
        } catch (err) {
          opts.logger.error({ openKfid, err: errorMessage(err) }, 'kf pull failed; will try again');
          outcome = 'failed';
        }
        // Another instance is pulling (it may have fetched its last page before our notice's message arrived): try
        // again shortly. A failed pull with a token is retried with backoff while the token is valid; one without a
        // token (strictly rate-limited) is left to the next timed pull.
        const since = req.since;
        if (outcome === 'busy')
          later(() => trigger(openKfid, token, { attempt: req.attempt, since }), retryMs);
        if (outcome === 'failed' && token)
          later(
            () => trigger(openKfid, token, { attempt: req.attempt + 1, since }),
            Math.min(retryMs * 2 ** req.attempt, 60_000),
          );
      }
    }
  }

  function later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    t.unref();
    timers.add(t);
  }

  /**
   * A recorded request (a notice whose instance died or whose pull was busy) is pulled at the next tick, with its
   * token. Without a token sync_msg is strictly limited: one slow pull per 客服账号 per timerMs across all instances.
   */
  async function timedPull(): Promise<void> {
    for (const openKfid of opts.openKfids) {
      const wanted = await store.pullRequest(openKfid).catch(() => null);
      if (wanted) {
        trigger(openKfid);
        continue;
      }
      const mine = await opts.kv
        .setIfAbsent(`kf:timed-pull:${openKfid}`, '1', opts.timerMs)
        .catch(() => false);
      if (mine) trigger(openKfid);
    }
  }

  return {
    async request(openKfid, token) {
      if (!opts.openKfids.includes(openKfid)) return trigger(openKfid, token);
      try {
        await store.requestPull(openKfid, token, opts.clock.now());
      } catch (err) {
        // The notice itself is in the inbox; this instance still pulls now, the timer catches the rest.
        opts.logger.error({ openKfid, err: errorMessage(err) }, 'kf pull request not recorded');
      }
      trigger(openKfid, token);
    },
    trigger,
    pull,
    start() {
      // At start, always (not gated by the shared interval key, which may be a killed instance's): what was
      // acknowledged before a crash (its request recorded, with its token) or arrived while no instance ran.
      for (const openKfid of opts.openKfids) trigger(openKfid);
      interval = setInterval(() => void timedPull(), Math.min(opts.timerMs, 60_000));
      interval.unref();
    },
    async stop() {
      stopping = true;
      if (interval) clearInterval(interval);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await draining?.catch(() => undefined);
    },
  };
}
