/**
 * 200 citizens scan the survey's 客服 link and answer the shipped 6-question survey (minsheng_2027: its third
 * question is asked only after a rating of 2 or less) through the fake 微信客服 API, with the server process killed
 * (SIGKILL) in the middle and restarted. sync_msg pages overlap and start with empty pages (has_more = 1), the access
 * token expires mid-run, and kf/send_msg answers 95001 / 95002 / 95018 once each. Afterwards the admin API's results
 * count every answer exactly once, WeCom refused nothing (no send outside the 48 h / 5-message window), and every
 * citizen's welcome went through send_msg_on_event.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { Database } from '../../src/core/ports.js';
import { startFakeWecomApi, type FakeWecomApi, type KfSend } from '../fakes/fakeWecomApi.js';
import { kfNoticeXml, signCallback } from '../fakes/wecomSigner.js';
import { testOpenDatabase } from '../support/testDatabase.js';
import { BACKENDS, CREDENTIALS, makeEnv, resetServers, waitFor } from './harness.js';
import { exited, spawnServer } from './processes.js';

const CITIZENS = 200;
const SEED = 20_270_131;
const KF = 'wkSurveyAccount';
const SURVEY = 'minsheng_2027';
const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';
/** Citizens whose message is pulled between two notices (WeCom sends a notice per burst, not per message). */
const BATCH = 50;
/** The round (one message from every citizen still answering) during which the server is killed. */
const CRASH_ROUND = 3;
/** The round during which kf/send_msg refuses three sends. */
const FAULT_ROUND = 5;

const PROJECTS = ['elderly', 'school', 'clinic', 'water', 'roads', 'oldhousing', 'jobs', 'market'];
const TOWNS = ['城关街道', '东城街道', '青山镇', '河口镇', '石桥镇', '白沙乡', '其他乡镇'];
const AGES = ['18岁以下', '18-30岁', '31-45岁', '46-60岁', '60岁以上'];

/** mulberry32: a fixed seed decides who picks what and who takes the low-rating branch. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Plan {
  id: string;
  projects: string[];
  rating: number;
  /** null: not asked (rating above 2); '' skipped. */
  lowReason: string | null;
  suggestion: string;
  town: string;
  age: string;
  /** What the citizen types (or taps), in order, after entering the session. */
  says: Array<{ text: string; menuId?: string }>;
}

function plans(): Plan[] {
  const r = rng(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: CITIZENS }, (_, i) => {
    const id = `wmCitizen${String(i).padStart(3, '0')}`;
    const count = 1 + Math.floor(r() * 3);
    const idx = [...new Set(Array.from({ length: count }, () => Math.floor(r() * PROJECTS.length)))].sort(
      (a, b) => a - b,
    );
    const rating = 1 + Math.floor(r() * 5);
    const lowReason = rating <= 2 ? (r() < 0.5 ? `路灯坏了没人修${i}` : '') : null;
    const suggestion = r() < 0.6 ? `建议增加公交班次${i}` : '';
    const town = pick(TOWNS);
    const age = pick(AGES);
    const says: Plan['says'] = [
      { text: idx.map((k) => String(k + 1)).join(' ') },
      { text: `${rating}分` },
      ...(lowReason === null ? [] : [{ text: lowReason === '' ? '跳过' : lowReason }]),
      { text: suggestion === '' ? '跳过' : suggestion },
      // A tap on the town menu comes back with the option as its menu_id; the age group is typed as its number.
      { text: town, menuId: town },
      { text: String(AGES.indexOf(age) + 1) },
      { text: '确认' },
    ];
    return { id, projects: idx.map((k) => PROJECTS[k]!), rating, lowReason, suggestion, town, age, says };
  });
}

function textOf(s: KfSend): string {
  const t = s.body['text'];
  if (typeof t === 'object' && t !== null && 'content' in t) return String(t.content);
  const m = s.body['msgmenu'];
  return typeof m === 'object' && m !== null && 'head_content' in m ? String(m.head_content) : '';
}

function tally(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

interface QuestionJson {
  id: string;
  answered: number;
  skipped: number;
  options?: Array<{ value: string; count: number }>;
  distribution?: Array<{ score: number; count: number }>;
  texts?: string[];
}

describe.each(BACKENDS)(
  '200 citizens answer a survey through 微信客服 across a SIGKILL ($name)',
  (backend) => {
    let fake: FakeWecomApi | undefined;
    let db: Database | undefined;
    let dataDir = '';
    const children: ChildProcess[] = [];
    afterEach(async () => {
      for (const c of children.splice(0)) c.kill('SIGKILL');
      await db?.close();
      await fake?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('counts every answer exactly once, sends nothing outside the window, welcomes through send_msg_on_event', async () => {
      await resetServers(backend);
      dataDir = mkdtempSync(join(tmpdir(), 'xieshang-kfsurvey-'));
      fake = await startFakeWecomApi({ corpId: CREDENTIALS.corpId, secret: CREDENTIALS.secret });
      const env = makeEnv(backend, dataDir, fake.url, {
        WECOM_KF_OPEN_KFIDS: KF,
        WECOM_KF_SYNC_INTERVAL_SECONDS: '3600',
        ADMIN_TOKEN,
        LEASE_MS: '1000',
      });
      db = await testOpenDatabase(loadConfig(env).database);
      const kf = fake.kf;
      kf.setPaging({ pageSize: 40, overlap: 7, emptyPagesFirst: 2 });
      let server = await spawnServer(env);
      children.push(server.child);

      const opened = await fetch(`${server.url}/admin/api/surveys/${SURVEY}/open`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(opened.status).toBe(200);

      let notices = 0;
      const notice = async (): Promise<void> => {
        const signed = signCallback({
          credentials: CREDENTIALS,
          plaintext: kfNoticeXml({
            corpId: CREDENTIALS.corpId,
            token: kf.token(KF),
            openKfid: KF,
            createTime: Math.floor(Date.now() / 1000),
          }),
        });
        const res = await fetch(`${server.url}/wecom/callback?${signed.query}`, {
          method: 'POST',
          body: signed.body,
        });
        expect(res.status).toBe(200);
        notices += 1;
      };
      // Drained: every message WeCom holds is in the inbox (pulled once each, beside the notices), and the inbox and
      // outbox have nothing pending. (A notice is stored at once; the pull it triggers runs after the acknowledgement.)
      const drained = (): Promise<boolean> =>
        waitFor(
          async () => {
            const [i, o] = [await db!.inbox.countByStatus(), await db!.outbox.countByStatus()];
            return i.pending === 0 && o.pending === 0 && i.done === notices + kf.messages(KF).length;
          },
          150_000,
          'every message pulled and answered',
        );

      const people = plans();
      const rounds = Math.max(...people.map((p) => p.says.length)) + 1;
      for (let round = 0; round < rounds; round++) {
        if (round === 2) fake.expireToken();
        if (round === FAULT_ROUND)
          fake.injectFaults('kf/send_msg', [
            ...Array.from({ length: 20 }, () => ({ pass: true as const })),
            { errcode: 95018, errmsg: 'session closed' },
            ...Array.from({ length: 20 }, () => ({ pass: true as const })),
            { errcode: 95001, errmsg: 'over 5 messages' },
            ...Array.from({ length: 20 }, () => ({ pass: true as const })),
            { errcode: 95002, errmsg: 'over 48 hours' },
          ]);
        const before = kf.sends.length;
        for (let start = 0; start < people.length; start += BATCH) {
          for (const p of people.slice(start, start + BATCH)) {
            if (round === 0)
              kf.enterSession({ openKfid: KF, externalUserid: p.id, scene: 'minsheng2027', welcome: true });
            else {
              const say = p.says[round - 1];
              if (say) kf.customerSays({ openKfid: KF, externalUserid: p.id, ...say });
            }
          }
          await notice();
        }
        if (round === CRASH_ROUND) {
          // Killed while the round is being worked through: some answers taken, some replies sent, some not.
          const mid = before + 40;
          await waitFor(async () => kf.sends.length >= mid, 60_000, 'the round to be under way');
          server.child.kill('SIGKILL');
          await exited(server.child);
          server = await spawnServer(env);
          children.push(server.child);
        }
        await drained();
      }

      // The results through the admin API.
      const res = await fetch(`${server.url}/admin/api/surveys/${SURVEY}/results`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(res.status).toBe(200);
      const results = (await res.json()) as {
        respondents: number;
        byAudience: Record<string, number>;
        questions: QuestionJson[];
      };
      expect(results.respondents).toBe(CITIZENS);
      expect(Object.values(results.byAudience).reduce((a, b) => a + b, 0)).toBe(CITIZENS);
      const q = (id: string): QuestionJson => results.questions.find((x) => x.id === id)!;
      const counts = (question: QuestionJson): Record<string, number> =>
        Object.fromEntries(
          (question.options ?? []).filter((o) => o.count > 0).map((o) => [o.value, o.count]),
        );

      expect(counts(q('projects'))).toEqual(tally(people.flatMap((p) => p.projects)));
      expect(q('projects').answered).toBe(CITIZENS);
      expect(
        Object.fromEntries(
          (q('rating').distribution ?? []).filter((d) => d.count > 0).map((d) => [d.score, d.count]),
        ),
      ).toEqual(tally(people.map((p) => String(p.rating))));
      const low = people.filter((p) => p.lowReason !== null);
      expect(low.length).toBeGreaterThan(0);
      expect(low.length).toBeLessThan(CITIZENS);
      expect([q('lowReason').answered, q('lowReason').skipped]).toEqual([
        low.filter((p) => p.lowReason !== '').length,
        low.filter((p) => p.lowReason === '').length,
      ]);
      expect([...(q('lowReason').texts ?? [])].sort()).toEqual(
        low
          .map((p) => p.lowReason)
          .filter((t) => t !== '')
          .sort(),
      );
      expect([...(q('suggestion').texts ?? [])].sort()).toEqual(
        people
          .map((p) => p.suggestion)
          .filter((t) => t !== '')
          .sort(),
      );
      expect(q('suggestion').skipped).toBe(people.filter((p) => p.suggestion === '').length);
      expect(counts(q('town'))).toEqual(tally(people.map((p) => p.town)));
      expect(counts(q('ageGroup'))).toEqual(tally(people.map((p) => p.age)));

      // Every pulled message entered the inbox once, beside the notices; nothing dead.
      const inbox = await db.inbox.countByStatus();
      const pulled = kf.messages(KF).length;
      expect(inbox).toMatchObject({ pending: 0, dead: 0, done: notices + pulled });

      // Nobody got a message WeCom would refuse (outside 48 h / beyond 5): the fake records none.
      expect(kf.refused).toEqual([]);
      // The injected refusals are failed with their reason, once each, not retried. Every other failed item is one the
      // app held back itself (its window accounting: never sent to WeCom).
      const failed: Array<{ errcode: number | null; reason: string }> = [];
      for (const p of people)
        for (const o of await db.outbox.listForUser(p.id, 0, 100))
          if (o.status === 'failed') failed.push({ errcode: o.lastErrcode, reason: o.lastError ?? '' });
      const fromWecom = failed.filter((f) => !/^kf (window|quota)/.test(f.reason));
      expect(fromWecom.map((f) => f.errcode)).toEqual(expect.arrayContaining([95001, 95002, 95018]));
      // Nothing else: a send the killed process made, answered to nobody and repeated by the restarted one, is answered
      // "duplicate msgid" and recorded as delivered (WeCom had taken it; the citizen got it once).
      for (const f of fromWecom) expect([95001, 95002, 95018]).toContain(f.errcode);
      console.info(
        `${backend.name}: ${kf.duplicates.length} resends after the kill answered duplicate msgid`,
      );
      // How many replies the app's own 48 h / 5-message accounting held back (these citizens answer within seconds).
      console.info(
        `${backend.name}: ${failed.length - fromWecom.length} replies held back by the window accounting`,
      );

      // Each citizen's first message is the welcome, through send_msg_on_event, opening the survey.
      for (const p of people) {
        const first = kf.sendsTo(p.id)[0];
        expect(first?.via).toBe('send_msg_on_event');
        expect(textOf(first!)).toContain('2027年民生实事项目征集');
      }
      expect(kf.sends.filter((s) => s.via === 'send_msg_on_event')).toHaveLength(CITIZENS);

      server.child.kill('SIGTERM');
      expect(await exited(server.child)).toBe(0);
    }, 400_000);
  },
);
