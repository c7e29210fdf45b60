import { createHash } from 'node:crypto';
import type { Database } from '../../core/ports.js';
import { formatShanghaiDate } from '../../shared/chinaTime.js';
import { parseIndex } from '../../flows/index.js';
import { SENTIMENT_ACTION_LABELS, SENTIMENT_SOURCE_LABELS, SENTIMENT_STATE_LABELS } from './domain/index.js';
import type { Report, ReportEvent } from './ports.js';

/**
 * A citizen's pseudonym: the reports keep this, not the channel id (a hash of channel and id, the same for every
 * message of one person, useless to anyone without the raw id).
 */
export function citizenPseudonym(channel: string, id: string): string {
  return `c:${createHash('sha256').update(`${channel}:${id}`).digest('hex').slice(0, 40)}`;
}

/** Names of members by userid ('' → the id itself). */
export async function namesOf(db: Database, ids: readonly string[]): Promise<string[]> {
  return Promise.all(ids.map(async (id) => (await db.members.get(id))?.name ?? id));
}

/** The whole report and its timeline, as one chat message. */
export async function reportDetailText(
  db: Database,
  r: Report,
  events: readonly ReportEvent[],
): Promise<string> {
  const reporter =
    r.source === 'citizen'
      ? `群众留言${r.town ? `（${r.town}）` : ''}${r.contact ? `，联系方式：${r.contact}` : '，未留联系方式'}`
      : (await namesOf(db, [r.reporterId, ...r.jointIds])).join('、');
  return [
    `${r.number}《${r.title}》`,
    `当前状态：${SENTIMENT_STATE_LABELS[r.state]}${r.level ? `（${r.level}级）` : ''}`,
    `来源：${SENTIMENT_SOURCE_LABELS[r.source]}；反映人：${reporter}`,
    ...(r.category ? [`类别：${r.category}`] : []),
    `基本情况：\n${r.situation}`,
    ...(r.analysis ? [`分析：\n${r.analysis}`] : []),
    ...(r.suggestions ? [`建议：\n${r.suggestions}`] : []),
    '办理进程：',
    ...events.map(
      (e) =>
        `· ${formatShanghaiDate(e.at)} ${e.action === 'submit' ? SENTIMENT_ACTION_LABELS.submit : e.summary}`,
    ),
  ].join('\n');
}

/** A report picked by list position (1, 第二个) or by its number (7号, 社情〔2026〕第007号) from `list`. */
export function pickReport(list: readonly Report[], query: string): Report | null {
  const q = query.trim();
  const byNumber = /第?0*(\d{1,4})号/u.exec(q);
  if (byNumber) return list.find((r) => r.seq === Number(byNumber[1])) ?? null;
  const i = parseIndex(q);
  if (i !== null) return list[i - 1] ?? null;
  const word = q.replace(/[《》]/g, '');
  return word.length >= 2 ? (list.find((r) => r.title.includes(word)) ?? null) : null;
}
