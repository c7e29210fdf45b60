import { describe, expect, it } from 'vitest';
import { kfStore } from '../../src/channels/wecomKf/index.js';
import {
  checkWindow,
  reserveSend,
  settleSend,
  takeWelcomeCode,
  touchWindows,
} from '../../src/channels/wecomKf/kfWindows.js';
import { storeKfMessages } from '../../src/channels/wecomKf/kfInbox.js';
import type { KfSyncedMessage } from '../../src/wecom/api/kf.js';
import { databaseBackends, useDatabase } from './backends.js';

const T0 = new Date('2026-12-01T02:00:00Z');
const crypto = { corpId: 'wwcontract', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
const key = { openKfid: 'wk1', externalUserid: 'wm-citizen-1' };

function text(msgid: string, from: string, at: Date): KfSyncedMessage {
  return {
    msgid,
    open_kfid: 'wk1',
    external_userid: from,
    send_time: Math.floor(at.getTime() / 1000),
    origin: 3,
    msgtype: 'text',
    text: { content: `hello ${msgid}` },
  };
}

for (const backend of databaseBackends) {
  describe.skipIf(backend.skip)(`KfStore contract (${backend.name})`, () => {
    const ctx = useDatabase(backend);

    it('moves a cursor only from where it was (compare-and-set), per 客服账号', async () => {
      const store = kfStore(ctx.db);
      expect(await store.cursor('wk1')).toBe('');
      expect(await store.advanceCursor('wk1', '', 'c1', T0)).toBe(true);
      expect(await store.advanceCursor('wk1', '', 'c9', T0)).toBe(false);
      expect(await store.advanceCursor('wk1', 'c1', 'c2', T0)).toBe(true);
      expect(await store.advanceCursor('wk1', 'c1', 'c3', T0)).toBe(false);
      expect(await store.cursor('wk1')).toBe('c2');
      expect(await store.cursor('wk2')).toBe('');
    });

    it('lets exactly one of two instances advance the same cursor', async () => {
      const other = kfStore(await ctx.openAnother());
      const store = kfStore(ctx.db);
      await store.advanceCursor('wk1', '', 'c1', T0);
      const results = await Promise.all([
        store.advanceCursor('wk1', 'c1', 'c2a', T0),
        other.advanceCursor('wk1', 'c1', 'c2b', T0),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(['c2a', 'c2b']).toContain(await store.cursor('wk1'));
    });

    it('gives out at most 5 sending slots after a citizen writes, even to concurrent senders', async () => {
      const store = kfStore(ctx.db);
      const other = kfStore(await ctx.openAnother());
      await touchWindows(store, [{ ...key, customerAt: T0 }], T0);
      const now = new Date(T0.getTime() + 1000);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => reserveSend(i % 2 ? other : store, key, now)),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(5);
      expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, errcode: 95001 });
      // The citizen writes again: the window opens again.
      const later = new Date(T0.getTime() + 10 * 60_000);
      await touchWindows(store, [{ ...key, customerAt: later }], later);
      expect(await reserveSend(store, key, new Date(later.getTime() + 1000))).toEqual({ ok: true });
    });

    it('counts a send from when WeCom answered it: a slow send counts in the window of a message written meanwhile', async () => {
      const store = kfStore(ctx.db);
      await touchWindows(store, [{ ...key, customerAt: T0 }], T0);
      const taken = new Date(T0.getTime() + 1000);
      for (let i = 0; i < 4; i++) expect(await reserveSend(store, key, taken)).toEqual({ ok: true });
      // Three came back at once; the fourth call took 8 s, and the citizen wrote 4 s after it began.
      for (let i = 0; i < 3; i++) await settleSend(store, key, taken, new Date(taken.getTime() + 200));
      await settleSend(store, key, taken, new Date(taken.getTime() + 8000));
      const wrote = new Date(taken.getTime() + 4000);
      await touchWindows(store, [{ ...key, customerAt: wrote }], wrote);
      const w = await store.window('wk1', key.externalUserid);
      expect(w?.sends.toSorted()).toEqual([1200, 1200, 1200, 9000].map((ms) => T0.getTime() + ms));
      // Only the slow one counts in the new window: four more may go, then the fifth slot is the last.
      const now = new Date(taken.getTime() + 9000);
      for (let i = 0; i < 4; i++) expect(await reserveSend(store, key, now)).toEqual({ ok: true });
      expect(checkWindow(await store.window('wk1', key.externalUserid), now)).toMatchObject({
        errcode: 95001,
      });
    });

    it('never moves a citizen’s last message back, and finds the account they wrote to last', async () => {
      const store = kfStore(ctx.db);
      await touchWindows(store, [{ ...key, customerAt: new Date(T0.getTime() + 5000) }], T0);
      await touchWindows(store, [{ ...key, customerAt: T0 }], T0);
      expect((await store.window('wk1', key.externalUserid))?.lastCustomerAt).toEqual(
        new Date(T0.getTime() + 5000),
      );
      await touchWindows(
        store,
        [{ openKfid: 'wk2', externalUserid: key.externalUserid, customerAt: new Date(T0.getTime() + 9000) }],
        T0,
      );
      expect((await store.latestWindow(key.externalUserid))?.openKfid).toBe('wk2');
      expect(await store.latestWindow('nobody')).toBeNull();
    });

    it('takes a welcome code once: the enter_session pulled again (an overlapping page) does not bring it back', async () => {
      const store = kfStore(ctx.db);
      const entered = { ...key, welcomeCode: { code: 'wc-1', at: T0 } };
      await touchWindows(store, [entered], T0);
      const soon = new Date(T0.getTime() + 2000);
      expect(await takeWelcomeCode(store, key, soon)).toBe('wc-1');
      await touchWindows(store, [entered], soon);
      expect(await takeWelcomeCode(store, key, soon)).toBeNull();
      // A later enter_session brings a new code.
      const again = new Date(T0.getTime() + 5000);
      await touchWindows(store, [{ ...key, welcomeCode: { code: 'wc-2', at: again } }], again);
      expect(await takeWelcomeCode(store, key, again)).toBe('wc-2');
    });

    it('stores a page once: the same or an overlapping page again adds nothing to the inbox', async () => {
      const page1 = [text('m1', 'a', T0), text('m2', 'b', T0), text('m3', 'a', T0)];
      const page2 = [text('m3', 'a', T0), text('m4', 'b', T0)];
      expect(await storeKfMessages(ctx.db, { openKfid: 'wk1', messages: page1 }, crypto, T0)).toBe(3);
      expect(await storeKfMessages(ctx.db, { openKfid: 'wk1', messages: page1 }, crypto, T0)).toBe(0);
      expect(await storeKfMessages(ctx.db, { openKfid: 'wk1', messages: page2 }, crypto, T0)).toBe(1);
      expect((await ctx.db.inbox.countByStatus()).pending).toBe(4);
      const first = await ctx.db.inbox.nextForUser('a');
      expect(first).toMatchObject({ channel: 'wecom-kf', dedupKey: 'kfm:m1', kind: 'kf3:text' });
      // Encrypted at rest, like every callback.
      expect(first?.encrypted).not.toContain('hello');
    });
    it('keeps a pull request until a puller clears it at the seq it read; a notice since keeps it', async () => {
      const store = kfStore(ctx.db);
      const other = kfStore(await ctx.openAnother());
      expect(await store.pullRequest('wk1')).toBeNull();
      await store.requestPull('wk1', 'ENC-1', T0);
      // Another instance's notice for the same account: the latest token, seq bumped.
      const later = new Date(T0.getTime() + 1000);
      await other.requestPull('wk1', 'ENC-2', later);
      const read = await store.pullRequest('wk1');
      expect(read).toMatchObject({ openKfid: 'wk1', token: 'ENC-2', seq: 2 });
      expect(read?.requestedAt.getTime()).toBe(later.getTime());
      expect(await other.pullRequest('wk2')).toBeNull();
      // A notice while the puller pulls: clearing at the seq it read fails, the request stays.
      await other.requestPull('wk1', 'ENC-3', later);
      expect(await store.clearPullRequest('wk1', read!.seq)).toBe(false);
      const again = await other.pullRequest('wk1');
      expect(again).toMatchObject({ token: 'ENC-3', seq: 3 });
      expect(await store.clearPullRequest('wk1', again!.seq)).toBe(true);
      expect(await other.pullRequest('wk1')).toBeNull();
      expect(await store.clearPullRequest('wk1', again!.seq)).toBe(false);
    });

    it('fails the kf outbox item a msg_send_fail names, sent or pending; nothing else', async () => {
      const store = kfStore(ctx.db);
      const add = (dedupKey: string, channel: string) => ({
        type: 'outbox.add' as const,
        at: T0,
        message: {
          dedupKey,
          toUser: 'wm-x',
          channel,
          message: { msgtype: 'text' as const, text: { content: 'hi' } },
        },
      });
      await ctx.db.commit([add('kf-1', 'wecom-kf'), add('kf-2', 'wecom-kf'), add('app-1', 'wecom-app')]);
      const rows = await ctx.db.outbox.listForUser('wm-x', 0, 10);
      const [sent, pending, app] = rows;
      await ctx.db.commit([{ type: 'outbox.sent', id: sent!.id, sentAt: T0, wecomMsgId: 'xs1' }]);
      const fail = (id: number, createdAt: Date) =>
        store.markUndelivered({ outboxId: id, createdAt, reason: 'kf msg_send_fail: fail_type 10', at: T0 });
      expect(await fail(sent!.id, sent!.createdAt)).toBe(true);
      expect(await fail(pending!.id, pending!.createdAt)).toBe(true);
      // Another creation time (not our message), or another channel's item: untouched.
      expect(await fail(sent!.id, new Date(sent!.createdAt.getTime() + 1))).toBe(false);
      expect(await fail(app!.id, app!.createdAt)).toBe(false);
      const after = await ctx.db.outbox.listForUser('wm-x', 0, 10);
      expect(after.map((o) => [o.status, o.lastError])).toEqual([
        ['failed', 'kf msg_send_fail: fail_type 10'],
        ['failed', 'kf msg_send_fail: fail_type 10'],
        ['pending', null],
      ]);
    });
  });
}
