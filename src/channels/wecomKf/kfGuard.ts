import { z } from 'zod';
import type { KeyValueStore } from '../../core/ports.js';
import type { KfSyncedMessage } from '../../wecom/api/kf.js';
import { citizenOf, kfidOf, ORIGIN_CUSTOMER } from './kfInbox.js';

/** KF_CITIZEN_*: how much one citizen may send before the channel stops answering for a while. */
export interface KfGuardSettings {
  /** More customer messages than this within one minute (by their send time) mutes the citizen. */
  maxPerMinute: number;
  /** How long a muted citizen's messages are recorded but not answered. */
  muteMs: number;
  /** A text longer than this (in characters) is refused and only its head is stored. */
  textMaxChars: number;
}

/** What the guard decided about one customer message, stored with it in the inbox (field `xs_guard`). */
export const kfGuardMark = z.object({
  /** limited: the message that went over the limit (answered once, politely); muted: ignored. */
  rate: z.enum(['limited', 'muted']).optional(),
  minutes: z.number().int().positive().optional(),
  /** The text was too long: `chars` it had, `max` allowed; only a head of it is stored. */
  cut: z.object({ chars: z.number().int(), max: z.number().int() }).optional(),
});
export type KfGuardMark = z.infer<typeof kfGuardMark>;

/** How long a message's verdict is remembered: a page is pulled again within minutes, if at all. */
const VERDICT_TTL_MS = 3_600_000;

/** How much of a refused over-long text is kept, so the record shows what it was about. */
export const KF_CUT_HEAD_CHARS = 50;

export interface KfGuard {
  /**
   * The page's messages as they may be stored: a citizen over the per-minute limit gets the `limited` mark once
   * per mute period, then `muted` marks until it ends; an over-long text keeps only its head. Other messages are
   * returned unchanged.
   */
  screen(messages: readonly KfSyncedMessage[], openKfid: string): Promise<KfSyncedMessage[]>;
}

/**
 * Counts customer messages per citizen and minute of their send time in the key-value store (shared by all
 * instances; the pull of one 客服账号 runs on one instance at a time). The mute is kept as its end time, compared
 * with the messages' send times, so a late pull judges a burst as it was sent. Each message's verdict is kept for a
 * while under its msgid: a page pulled again (after a crash, overlapping pages) gets the same verdicts and counts
 * nothing twice.
 */
export function createKfGuard(kv: KeyValueStore, settings: KfGuardSettings): KfGuard {
  const minutes = Math.max(1, Math.round(settings.muteMs / 60_000));

  async function rateOf(
    kfid: string,
    citizen: string,
    msgid: string,
    sentMs: number,
  ): Promise<KfGuardMark['rate']> {
    const verdictKey = `kf:verdict:${kfid}:${msgid}`;
    const known = await kv.get(verdictKey);
    if (known !== null) return known === 'limited' || known === 'muted' ? known : undefined;
    const rate = await countOne(kfid, citizen, sentMs);
    await kv.set(verdictKey, rate ?? 'ok', VERDICT_TTL_MS);
    return rate;
  }

  async function countOne(kfid: string, citizen: string, sentMs: number): Promise<KfGuardMark['rate']> {
    const muteKey = `kf:mute:${kfid}:${citizen}`;
    const until = Number((await kv.get(muteKey)) ?? 0);
    if (sentMs < until) return 'muted';
    const count = await kv.incr(`kf:rate:${kfid}:${citizen}:${Math.floor(sentMs / 60_000)}`, 120_000);
    if (count <= settings.maxPerMinute) return undefined;
    await kv.set(muteKey, String(sentMs + settings.muteMs), settings.muteMs + 120_000);
    return 'limited';
  }

  return {
    async screen(messages, openKfid) {
      const out: KfSyncedMessage[] = [];
      for (const m of messages) {
        const citizen = citizenOf(m);
        if (m.origin !== ORIGIN_CUSTOMER || citizen === '') {
          out.push(m);
          continue;
        }
        const rate = await rateOf(kfidOf(m, openKfid), citizen, m.msgid, m.send_time * 1000);
        const text = m.text?.content ?? '';
        const chars = [...text].length;
        const cut = chars > settings.textMaxChars ? { chars, max: settings.textMaxChars } : undefined;
        if (!rate && !cut) {
          out.push(m);
          continue;
        }
        const mark: KfGuardMark = {
          ...(rate ? { rate, minutes } : {}),
          ...(cut ? { cut } : {}),
        };
        out.push({
          ...m,
          ...(cut && m.text
            ? { text: { ...m.text, content: `${[...text].slice(0, KF_CUT_HEAD_CHARS).join('')}…` } }
            : {}),
          xs_guard: mark,
        });
      }
      return out;
    },
  };
}

/** The guard's mark on a stored message (none: an ordinary message). */
export function guardMarkOf(raw: unknown): KfGuardMark | null {
  if (typeof raw !== 'object' || raw === null || !('xs_guard' in raw)) return null;
  const parsed = kfGuardMark.safeParse(raw.xs_guard);
  return parsed.success ? parsed.data : null;
}

export const kfGuardTexts = {
  limited: (minutes: number): string =>
    `您发送消息太频繁了，请稍作休息。接下来 ${minutes} 分钟内发来的消息将不会得到回复，之后欢迎继续留言。`,
  tooLong: (max: number): string =>
    `您发来的文字超过 ${max} 字，无法受理，全文也未保存。请精简到 ${max} 字以内后重新发送。`,
};
