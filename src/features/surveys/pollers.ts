import type { Change, Database } from '../../core/ports.js';
import type { Poller } from '../../core/feature.js';
import type { Logger } from 'pino';
import { formatShanghaiDate, shanghaiParts } from '../../shared/chinaTime.js';
import type { Clock } from '../../shared/clock.js';
import { createPollLoop } from '../../shared/pollLoop.js';
import { utf8Bytes } from '../../flows/templates.js';
import { TEXT_MAX_BYTES } from '../../wecom/limits.js';
import type { SurveyCatalog } from './catalog.js';
import { surveyResults, summaryText } from './domain/index.js';
import { surveyStore } from './surveyStore.js';
import { allSurveysNow, audienceOfChannel, type SurveySettings } from './surveyAccess.js';

export interface SurveyPollerSettings extends SurveySettings {
  /** The daily digest goes to staff at this hour (北京时间) while a survey is open and has new responses. */
  digestHour: number;
  /** Who answered a survey is erased this many days after it closes (answers and counts stay). */
  retentionDays: number;
  pollMs: number;
}

/** A text cut to WeCom's text limit, saying where the rest is. */
function fitText(text: string, tail: string): string {
  if (utf8Bytes(text) <= TEXT_MAX_BYTES) return text;
  const chars = [...text];
  while (chars.length > 0 && utf8Bytes(`${chars.join('')}\n…${tail}`) > TEXT_MAX_BYTES) chars.pop();
  return `${chars.join('')}\n…${tail}`;
}

/**
 * Once a day, at `digestHour`, staff get a summary of each open survey that has new responses since the last
 * digest; the outbox's dedup key makes it once a day whatever the instances. Returns the number of digests queued.
 */
export async function queueDigests(
  deps: { db: Database; catalog: SurveyCatalog; settings: SurveyPollerSettings },
  now: Date,
): Promise<number> {
  const { db, catalog, settings } = deps;
  if (shanghaiParts(now).hour < settings.digestHour) return 0;
  const day = formatShanghaiDate(now);
  const open = (await allSurveysNow(db, catalog, now, settings)).filter((s) => s.status === 'open');
  if (open.length === 0) return 0;
  const staff = (await db.members.list()).filter((m) => m.active && m.role === 'staff').map((m) => m.userId);
  if (staff.length === 0) return 0;
  let queued = 0;
  for (const s of open) {
    const since = s.state?.digestedAt ?? null;
    if (since !== null && formatShanghaiDate(since) === day) continue;
    const responses = await surveyStore(db).responses(s.survey.id);
    const fresh = responses.filter((r) => since === null || r.updatedAt > since).length;
    if (fresh === 0) continue;
    const results = surveyResults(
      s.survey,
      responses.map((r) => ({ audience: audienceOfChannel(r.channel), answers: r.answers })),
    );
    if ('error' in results) continue;
    const text = fitText(
      `【问卷日报】${day} 新增 ${fresh} 份\n${summaryText(results, { maxTexts: 2 })}`,
      '完整结果请发送「问卷结果」或在管理后台查看。',
    );
    const changes: Change[] = [];
    for (let i = 0; i * 1000 < staff.length; i++)
      changes.push({
        type: 'outbox.add',
        at: now,
        message: {
          dedupKey: `survey:${s.survey.id}:digest:${day}:${i}`,
          toUser: `@survey:${s.survey.id}:digest:${i}`,
          recipients: staff.slice(i * 1000, (i + 1) * 1000),
          message: { msgtype: 'text', text: { content: text } },
        },
      });
    changes.push({ type: 'survey.digested', surveyId: s.survey.id, at: now });
    await db.commit(changes);
    queued += 1;
  }
  return queued;
}

/** Erases who answered each survey closed more than `retentionDays` ago. Returns the surveys erased. */
export async function forgetRespondents(
  deps: { db: Database; catalog: SurveyCatalog; settings: SurveyPollerSettings },
  now: Date,
): Promise<number> {
  const { db, catalog, settings } = deps;
  let erased = 0;
  for (const s of await allSurveysNow(db, catalog, now, settings)) {
    if (s.closes.getTime() + settings.retentionDays * 86_400_000 > now.getTime()) continue;
    const linked = (await surveyStore(db).responses(s.survey.id)).some((r) => r.respondent !== null);
    if (!linked) continue;
    await db.commit([{ type: 'survey.forget', surveyId: s.survey.id }]);
    erased += 1;
  }
  return erased;
}

export function createSurveyPoller(deps: {
  db: Database;
  catalog: SurveyCatalog;
  settings: SurveyPollerSettings;
  clock: Clock;
  logger: Logger;
  onQueued: () => void;
}): Poller {
  const loop = createPollLoop({
    name: 'surveys',
    pollMs: deps.settings.pollMs,
    logger: deps.logger,
    async runOnce() {
      const now = deps.clock.now();
      const digests = await queueDigests(deps, now);
      if (digests > 0) deps.onQueued();
      return digests + (await forgetRespondents(deps, now));
    },
  });
  return { start: loop.start, stop: loop.stop };
}
