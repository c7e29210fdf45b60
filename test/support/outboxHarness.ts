import { readsOf } from '../contract/storeReads.js';
/**
 * An outbox to drive the sender in-process: in-memory SQLite, the in-process key-value store and a clock moved by
 * hand (`h.now = …`). Shared by the core sender tests and the WeCom app channel's delivery tests.
 */
import { pino } from 'pino';
import type { Channel } from '../../src/core/channel.js';
import type { DeliveryReport } from '../../src/core/feature.js';
import type { Database, KeyValueStore, NewOutboxMessage, OutboxItem } from '../../src/core/ports.js';
import { createSender, type Sender } from '../../src/core/sender.js';
import { createMemoryKeyValueStore } from '../../src/store/memory/memoryKeyValueStore.js';
import { testSqlite } from './testDatabase.js';

export interface OutboxHarness {
  db: Database;
  kv: KeyValueStore;
  now: Date;
  clock: { now(): Date };
  /** Queues a text for `toUser` (or a batch labelled `toUser`) and returns its outbox id. */
  queue(toUser: string, extra?: Partial<NewOutboxMessage>): Promise<number>;
  row(id: number): Promise<OutboxItem>;
  /** A sender over these channels (retry base 1 s); the delivery reports it made are kept on it. */
  senderOver(
    channels: Channel[],
    over?: { maxAttempts?: number; leaseMs?: number; random?: () => number },
  ): Sender & { reports: DeliveryReport[] };
}

export function outboxHarness(start: Date): OutboxHarness {
  let seq = 0;
  const h: OutboxHarness = {
    db: testSqlite(':memory:'),
    kv: createMemoryKeyValueStore({ now: () => h.now }),
    now: start,
    clock: { now: () => h.now },
    async queue(toUser, extra = {}) {
      seq += 1;
      const dedupKey = `t:${seq}`;
      const message = { msgtype: 'text' as const, text: { content: `消息${seq}` } };
      await h.db.commit([
        { type: 'outbox.add', at: h.now, message: { dedupKey, toUser, message, ...extra } },
      ]);
      const found = (await h.db.outbox.listForUser(toUser, 0, 1000)).find((i) => i.dedupKey === dedupKey);
      if (!found) throw new Error(`queued ${dedupKey} not found`);
      return found.id;
    },
    async row(id) {
      const item = await readsOf(h.db).outboxItem(id);
      if (!item) throw new Error(`no outbox row ${id}`);
      return item;
    },
    senderOver(channels, over = {}) {
      const reports: DeliveryReport[] = [];
      const sender = createSender({
        db: h.db,
        kv: h.kv,
        channels: new Map(channels.map((c) => [c.id, c])),
        onDelivery: (r) => (reports.push(r), []),
        clock: h.clock,
        logger: pino({ level: 'silent' }),
        retryBaseMs: 1000,
        ...over,
      });
      return { ...sender, reports };
    },
  };
  return h;
}
