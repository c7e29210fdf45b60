import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change } from '../../src/core/ports.js';
import { createDutiesFeature } from '../../src/features/duties/index.js';
import { noticeStore } from '../../src/features/notices/index.js';
import { proposalStore } from '../../src/features/proposals/index.js';
import { reviewReport, sentimentStore } from '../../src/features/sentiment/index.js';
import { MEMBERS } from '../fixtures/members.js';
import { databaseBackends, useDatabase } from './backends.js';

/**
 * 履职档案 on every backend: a notice's 回执 after the meeting, a proposal's 立案 and an adopted 社情民意 show up in
 * the member's record with the right points (GET /admin/api/members/:userid/duties); a rules change recomputes.
 */
const NOW = new Date('2026-06-30T04:00:00Z');
const day = (d: number) => new Date(Date.UTC(2026, 5, d, 2));

const RULES_A = `name: 规则甲
items:
  meeting_attend: { points: 5 }
  meeting_leave: { points: 1 }
  proposal_first: { points: 5 }
  proposal_filed_first: { points: 15 }
  sentiment_submitted: { points: 3 }
  sentiment_adopted_city: { points: 10 }
minimums: { meetings: 3, proposals: 1, sentiment: 1 }
exitBelowPoints: 60
`;
const RULES_B = `name: 规则乙
items:
  meeting_attend: { points: 2, cap: 2 }
  proposal_filed_first: { points: 20 }
`;

for (const backend of databaseBackends) {
  describe.skipIf(backend.skip)(`duties record and points: ${backend.name}`, () => {
    const ctx = useDatabase(backend);
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'xieshang-duties-'));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('attendance, 立案 and 采用 count with the right points; a rules change recomputes', async () => {
      const db = ctx.db;
      await db.members.upsertMany(MEMBERS);
      // Two meetings in June: zhangsan attends the first, takes leave for the second; one still ahead does not count.
      const notice = (key: string, d: number): Change => ({
        type: 'notice.create',
        at: day(1),
        notice: {
          createKey: key,
          title: `协商会${key}`,
          kind: '专题协商会',
          startsAt: day(d),
          place: '三楼会议室',
          content: '议题',
          audience: { all: true, sectors: [], committees: [], userIds: [] },
          replyBy: day(d - 1),
          leaveNeedsReason: false,
          createdBy: 'wangwu',
        },
      });
      await db.commit([notice('a', 10), notice('b', 20), notice('c', 31 + 20)]);
      for (const key of ['a', 'b', 'c']) {
        const n = await noticeStore(db).getByCreateKey(key);
        await db.commit([
          {
            type: 'notice.send',
            noticeId: n!.id,
            recipients: [{ userId: 'zhangsan', name: '张三' }],
            reminders: [],
            at: day(2),
          },
          {
            type: 'notice.answer',
            noticeId: n!.id,
            userId: 'zhangsan',
            answer: key === 'b' ? 'leave' : 'attend',
            reason: null,
            at: day(3),
          },
        ]);
      }
      // A proposal, 立案.
      await db.commit([
        {
          type: 'proposal.submit',
          at: day(4),
          cosignerIds: ['lisi'],
          proposal: {
            submitKey: 'p1',
            year: 2026,
            seq: 1,
            number: '〔2026〕第001号',
            ownerId: 'zhangsan',
            title: '关于加强农村饮水安全保障的建议',
            category: '社会建设',
            subcategory: null,
            reason: '案由',
            suggestions: '建议',
            handlingUnits: [],
            isPublic: true,
            privateReason: null,
          },
        },
      ]);
      const p = await proposalStore(db).getBySubmitKey('p1');
      await db.commit([
        { type: 'proposal.status', proposalId: p!.id, status: 'registered', note: null, at: day(15) },
      ]);
      // A 社情民意 adopted at 市 level.
      await db.commit([
        {
          type: 'sentiment.submit',
          actorId: 'zhangsan',
          at: day(5),
          report: {
            submitKey: 's1',
            year: 2026,
            seq: 1,
            number: '社情〔2026〕第001号',
            source: 'member',
            reporterId: 'zhangsan',
            jointIds: [],
            replyTo: null,
            replyChannel: null,
            title: '关于学校周边交通的情况反映',
            category: null,
            situation: '情况',
            analysis: '分析',
            suggestions: '建议',
            town: null,
            contact: null,
            proposalId: null,
          },
        },
      ]);
      const s = await sentimentStore(db).getBySubmitKey('s1');
      const adopted = await reviewReport(db, {
        reportId: s!.id,
        request: { action: 'adopt', level: '市', mode: '单篇' },
        actorId: 'wangwu',
        now: day(6),
      });
      if (!adopted.ok) throw new Error(adopted.reason);
      await db.commit(adopted.changes);

      const file = join(dir, 'points.yaml');
      writeFileSync(file, RULES_A);
      const feature = createDutiesFeature({ pointsFile: file });
      const rt = {
        db,
        clock: { now: () => NOW },
        logger: pino({ level: 'silent' }),
        wakeSender: () => undefined,
      };
      const route = feature.adminRoutes!(rt).find((r) => r.path === '/members/:userid/duties');
      const get = async () =>
        (
          await route!.handle({
            params: { userid: 'zhangsan' },
            query: { year: '2026' },
            body: undefined,
            idempotencyKey: null,
          })
        ).body as {
          counts: Record<string, number>;
          points: { total: number; breakdown: { item: string; points: number }[]; open: string[] };
          rules: string;
        };

      const a = await get();
      expect(a.counts).toMatchObject({
        meeting_attend: 1,
        meeting_leave: 1,
        meeting_no_reply: 0,
        proposal_first: 1,
        proposal_filed_first: 1,
        sentiment_submitted: 1,
        sentiment_adopted_city: 1,
      });
      // 5 + 1 + 5 + 15 + 3 + 10 = 39
      expect(a.rules).toBe('规则甲');
      expect(a.points.total).toBe(39);
      expect(a.points.open).toEqual(['会议活动参加 1 次，每年至少 3 次']);

      // The co-signer has not accepted: no joint proposal for lisi.
      const lisi = await route!.handle({
        params: { userid: 'lisi' },
        query: {},
        body: undefined,
        idempotencyKey: null,
      });
      expect((lisi.body as { counts: Record<string, number> }).counts['proposal_joint']).toBe(0);

      writeFileSync(file, RULES_B);
      const b = await get();
      expect(b.rules).toBe('规则乙');
      expect(b.points.total).toBe(22);
      expect(b.points.breakdown.map((l) => [l.item, l.points])).toEqual([
        ['meeting_attend', 2],
        ['proposal_filed_first', 20],
      ]);
      await expect(
        route!.handle({ params: { userid: 'nobody' }, query: {}, body: undefined, idempotencyKey: null }),
      ).rejects.toThrow();
    });
  });
}
