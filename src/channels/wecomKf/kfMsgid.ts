import type { OutboxItem } from '../../core/ports.js';

/** Our msgid of one part of an outbox item: `xs<createdAt base 36>-<outbox id>-<part>` (≤ 32 bytes). */
export function kfMsgidOf(item: Pick<OutboxItem, 'id' | 'createdAt'>, part: number): string {
  return `xs${item.createdAt.getTime().toString(36)}-${item.id}-${part}`;
}

/** The outbox item and part one of our msgids names (a msg_send_fail event's fail_msgid); null for others. */
export function parseKfMsgid(msgid: string): { createdAt: Date; outboxId: number; part: number } | null {
  const m = /^xs([0-9a-z]+)-(\d+)-(\d+)$/.exec(msgid);
  if (!m) return null;
  const createdAt = new Date(parseInt(m[1] ?? '', 36));
  const outboxId = Number(m[2]);
  if (Number.isNaN(createdAt.getTime()) || !Number.isSafeInteger(outboxId)) return null;
  return { createdAt, outboxId, part: Number(m[3]) };
}
