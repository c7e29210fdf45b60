import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeWecomKf } from '../../../src/channels/wecomKf/decodeWecomKf.js';
import { createKfGuard, guardMarkOf, type KfGuardSettings } from '../../../src/channels/wecomKf/kfGuard.js';
import { storeKfMessages } from '../../../src/channels/wecomKf/kfInbox.js';
import type { Database, InboxItem } from '../../../src/core/ports.js';
import { createMemoryKeyValueStore } from '../../../src/store/memory/memoryKeyValueStore.js';
import { connectSqlite } from '../../../src/store/sqlite/sqliteDatabase.js';
import type { KfSyncedMessage } from '../../../src/wecom/api/kf.js';
import { decryptMessage } from '../../../src/wecom/crypto.js';
import { testRegistry } from '../../support/testDatabase.js';

const crypto = { corpId: 'wwguardtest', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
const KF = 'wkGUARD';
const SETTINGS: KfGuardSettings = { maxPerMinute: 3, muteMs: 10 * 60_000, textMaxChars: 20 };

/** The fake clock: the in-process store's TTLs and the messages' send times follow it. */
let nowMs = Date.UTC(2026, 11, 3, 8, 0, 0);
const clock = { now: () => new Date(nowMs) };
let seq = 0;

function says(text: string, from = 'wm-a'): KfSyncedMessage {
  seq += 1;
  return {
    msgid: `m${seq}`,
    open_kfid: KF,
    external_userid: from,
    send_time: Math.floor(nowMs / 1000),
    origin: 3,
    msgtype: 'text',
    text: { content: text },
  };
}

function rates(messages: readonly KfSyncedMessage[]): (string | null)[] {
  return messages.map((m) => guardMarkOf(m)?.rate ?? null);
}

let db: Database;
beforeEach(() => {
  nowMs = Date.UTC(2026, 11, 3, 8, 0, 0);
  db = connectSqlite(':memory:', { changes: testRegistry.changes }).database;
});
afterEach(async () => {
  await db.close();
});

describe('kf guard: a citizen over the per-minute limit', () => {
  it('is marked limited once, then muted until the mute period ends, then counted afresh', async () => {
    const guard = createKfGuard(createMemoryKeyValueStore(clock), SETTINGS);
    const burst = await guard.screen(
      Array.from({ length: 6 }, (_, i) => says(`你好${i}`)),
      KF,
    );
    expect(rates(burst)).toEqual([null, null, null, 'limited', 'muted', 'muted']);
    expect(guardMarkOf(burst[3])).toEqual({ rate: 'limited', minutes: 10 });
    // Still muted 9 minutes later, whatever they send.
    nowMs += 9 * 60_000;
    expect(rates(await guard.screen([says('在吗'), says('在吗')], KF))).toEqual(['muted', 'muted']);
    // After the mute period: answered again, and a new flood is answered once more.
    nowMs += 60_000;
    const after = await guard.screen(
      Array.from({ length: 5 }, (_, i) => says(`又来${i}`)),
      KF,
    );
    expect(rates(after)).toEqual([null, null, null, 'limited', 'muted']);
  });

  it('counts per citizen and per minute: others and a slower citizen are not affected', async () => {
    const guard = createKfGuard(createMemoryKeyValueStore(clock), SETTINGS);
    const mixed = await guard.screen(
      [says('1'), says('2'), says('3'), says('4'), says('b1', 'wm-b'), says('b2', 'wm-b')],
      KF,
    );
    expect(rates(mixed)).toEqual([null, null, null, 'limited', null, null]);
    // Three a minute for five minutes: never over the limit.
    const slow = createKfGuard(createMemoryKeyValueStore(clock), SETTINGS);
    for (let minute = 0; minute < 5; minute++) {
      nowMs += 60_000;
      expect(rates(await slow.screen([says('a'), says('b'), says('c')], KF))).toEqual([null, null, null]);
    }
  });

  it('gives a page pulled again the same verdicts and counts nothing twice', async () => {
    const guard = createKfGuard(createMemoryKeyValueStore(clock), SETTINGS);
    const page = [says('1'), says('2'), says('3')];
    expect(rates(await guard.screen(page, KF))).toEqual([null, null, null]);
    expect(rates(await guard.screen(page, KF))).toEqual([null, null, null]);
    const next = [page[2]!, says('4'), says('5')];
    expect(rates(await guard.screen(next, KF))).toEqual([null, 'limited', 'muted']);
    // The limited message pulled again (its first storing crashed) is still the one answered.
    expect(rates(await guard.screen(next, KF))).toEqual([null, 'limited', 'muted']);
  });

  it('judges a late pull by the send times: a burst pulled later is still one burst', async () => {
    const guard = createKfGuard(createMemoryKeyValueStore(clock), SETTINGS);
    const burst = Array.from({ length: 5 }, (_, i) => says(`${i}`));
    nowMs += 4 * 60_000;
    expect(rates(await guard.screen(burst, KF))).toEqual([null, null, null, 'limited', 'muted']);
  });

  it('leaves events and servicers’ messages alone', async () => {
    const guard = createKfGuard(createMemoryKeyValueStore(clock), { ...SETTINGS, maxPerMinute: 1 });
    const servicer = { ...says('x'.repeat(100)), origin: 5 };
    const out = await guard.screen([servicer, servicer, servicer], KF);
    expect(out).toEqual([servicer, servicer, servicer]);
  });
});

describe('kf guard: an over-long text', () => {
  it('is stored as its head only and decoded as a refusal; muted and limited ones decode as such', async () => {
    const guard = createKfGuard(createMemoryKeyValueStore(clock), { ...SETTINGS, textMaxChars: 60 });
    const long = '我要反映一个问题'.repeat(20); // 160 characters
    const fitting = '字'.repeat(60);
    const page = [says(long), says(fitting), says('三'), says('四'), says('五')];
    expect(await storeKfMessages(db, { openKfid: KF, messages: page }, crypto, clock.now(), guard)).toBe(5);
    const items: InboxItem[] = [];
    for (;;) {
      const item = await db.inbox.nextForUser('wm-a');
      if (!item) break;
      items.push(item);
      await db.commit([{ type: 'inbox.done', id: item.id, at: clock.now() }]);
    }
    expect(items).toHaveLength(5);
    const stored = items.map((i) => decryptMessage(crypto.encodingAesKey, i.encrypted, crypto.corpId));
    // The inbox never holds the long text whole: only its first 50 characters.
    expect(stored[0]).not.toContain(long);
    expect(stored[0]).toContain(long.slice(0, 50));
    expect(stored[1]).toContain(fitting);

    const decoded = items.map((i) => decodeWecomKf(crypto, i));
    expect(decoded[0]).toMatchObject({ actorId: 'wm-a', openKfid: KF, input: null });
    expect(decoded[0]?.refusal).toContain('超过 60 字');
    expect(decoded[1]).toEqual({ actorId: 'wm-a', openKfid: KF, input: { type: 'text', text: fitting } });
    expect(decoded[2]?.input).toEqual({ type: 'text', text: '三' });
    expect(decoded[3]).toMatchObject({ input: null });
    expect(decoded[3]?.refusal).toContain('10 分钟');
    expect(decoded[4]).toEqual({ actorId: 'wm-a', openKfid: KF, input: null });
  });
});

describe('kf decode: what a citizen typed is cleaned like a member’s', () => {
  it('drops control characters and replaces a lone surrogate, keeping emoji', async () => {
    const guard = createKfGuard(createMemoryKeyValueStore(clock), { ...SETTINGS, textMaxChars: 60 });
    const page = [says('提案\u0000😀\u0007好'), says('半个\uD800字')];
    expect(await storeKfMessages(db, { openKfid: KF, messages: page }, crypto, clock.now(), guard)).toBe(2);
    const texts: unknown[] = [];
    for (;;) {
      const item = await db.inbox.nextForUser('wm-a');
      if (!item) break;
      texts.push(decodeWecomKf(crypto, item).input);
      await db.commit([{ type: 'inbox.done', id: item.id, at: clock.now() }]);
    }
    expect(texts).toEqual([
      { type: 'text', text: '提案😀好' },
      { type: 'text', text: '半个\uFFFD字' },
    ]);
  });
});
