import {
  checkAudience,
  validateNoticeInput,
  type NoticeDraft,
  type NoticeInput,
  type NoticeProblem,
} from './domain/index.js';
import type { Database } from '../../core/ports.js';
import type { Notice } from './ports.js';
import { noticeStore } from './noticeStore.js';

/**
 * Validates a notice (fields, and that every named 界别 / 专委会 / userid reaches someone) and stores it as a
 * draft. Idempotent per createKey: the same key returns the notice stored the first time.
 */
export async function createNotice(
  db: Database,
  args: { input: NoticeInput; createdBy: string; createKey: string; now: Date },
): Promise<{ ok: true; notice: Notice } | { ok: false; problems: NoticeProblem[] }> {
  const existing = await noticeStore(db).getByCreateKey(args.createKey);
  if (existing) return { ok: true, notice: existing };
  const checked = await checkNotice(db, args.input, args.now);
  if (!checked.ok) return checked;
  await db.commit([
    {
      type: 'notice.create',
      notice: { ...checked.draft, createKey: args.createKey, createdBy: args.createdBy },
      at: args.now,
    },
  ]);
  const notice = await noticeStore(db).getByCreateKey(args.createKey);
  if (!notice) throw new Error(`notice ${args.createKey} was not stored`);
  return { ok: true, notice };
}

/** Field validation, then the audience against the roster. */
export async function checkNotice(
  db: Database,
  input: NoticeInput,
  now: Date,
): Promise<{ ok: true; draft: NoticeDraft } | { ok: false; problems: NoticeProblem[] }> {
  const v = validateNoticeInput(input, now);
  if (!v.ok) return v;
  const problems = checkAudience(await db.members.list(), v.draft.audience);
  if (problems.length > 0) return { ok: false, problems };
  return v;
}
