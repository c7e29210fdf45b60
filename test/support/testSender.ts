/** The outbox sender as main.ts builds it: the WeCom app channel over `api`, the features' delivery reports. */
import type { Logger } from 'pino';
import { createWecomAppChannel, type MessageSender } from '../../src/channels/wecomApp/index.js';
import type { Database, KeyValueStore } from '../../src/core/ports.js';
import { createSender, type Sender } from '../../src/core/sender.js';
import type { Clock } from '../../src/shared/clock.js';
import { testRegistry } from './testDatabase.js';

export function testSender(opts: {
  db: Database;
  kv: KeyValueStore;
  api: MessageSender | null;
  clock: Clock;
  logger: Logger;
  pollMs?: number;
  perUserPerMinute?: number;
  rateLimitPauseMs?: number;
  retryBaseMs?: number;
  maxAttempts?: number;
  leaseMs?: number;
}): Sender {
  const channel = createWecomAppChannel({
    api: opts.api,
    kv: opts.kv,
    logger: opts.logger,
    credentials: { corpId: 'corp', encodingAesKey: 'a'.repeat(43) },
    ...(opts.perUserPerMinute === undefined ? {} : { perUserPerMinute: opts.perUserPerMinute }),
    ...(opts.rateLimitPauseMs === undefined ? {} : { rateLimitPauseMs: opts.rateLimitPauseMs }),
  });
  return createSender({
    ...opts,
    channels: new Map([[channel.id, channel]]),
    onDelivery: (report) => testRegistry.features.flatMap((f) => f.onDelivery?.(report) ?? []),
  });
}
