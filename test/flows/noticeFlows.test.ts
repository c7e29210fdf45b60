import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isFlowFileName } from '../../src/store/flowFiles.js';
import { compileFlow, matchTrigger, parseFlowYaml } from '../../src/flows/index.js';
import type { CompiledFlow } from '../../src/flows/index.js';
import { NOTICE_KINDS, NOTICE_LIMITS } from '../../src/features/notices/domain/index.js';

const FLOWS = new URL('../../flows/', import.meta.url);

function parse(name: string): unknown {
  const parsed = parseFlowYaml(readFileSync(new URL(name, FLOWS), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.value;
}

function compiled(value: unknown): CompiledFlow {
  const r = compileFlow(value);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.flow;
}

/** Every flow in flows/, in file order (the order the app registers them). */
const all = readdirSync(FLOWS)
  .filter(isFlowFileName)
  .sort()
  .map((n) => compiled(parse(n)));
const byId = (id: string): CompiledFlow => {
  const f = all.find((x) => x.id === id);
  if (f === undefined) throw new Error(`no flow ${id}`);
  return f;
};

describe('notice flows: who can start them', () => {
  it('staff flows are audience: staff; the leave flow has no triggers (the app starts it)', () => {
    for (const id of ['notice_compose', 'notice_stats', 'notice_remind'])
      expect(byId(id).def.audience).toBe('staff');
    expect(byId('notice_leave').def.triggers).toBeUndefined();
  });

  it.each([
    ['发通知', 'notice_compose'],
    ['发布通知', 'notice_compose'],
    ['发会议通知', 'notice_compose'],
    ['通知统计', 'notice_stats'],
    ['回执统计', 'notice_stats'],
    ['提醒未回复', 'notice_remind'],
  ])('%s starts %s for staff and nothing for a member', (text, id) => {
    expect(matchTrigger(all, { type: 'text', text }, { role: 'staff' })).toBe(id);
    expect(matchTrigger(all, { type: 'text', text }, { role: 'member' })).toBeNull();
  });

  it('the notice menu key, and flows for everyone', () => {
    expect(matchTrigger(all, { type: 'click', key: 'MENU_NOTICE' }, { role: 'staff' })).toBe(
      'notice_compose',
    );
    expect(matchTrigger(all, { type: 'click', key: 'MENU_NOTICE' }, { role: 'member' })).toBeNull();
    for (const role of ['member', 'staff'] as const) {
      expect(matchTrigger(all, { type: 'text', text: '写提案' }, { role })).toBe('proposal');
    }
    // 帮助: staff get their own menu (a staff flow wins over the one for all with the same keyword).
    expect(matchTrigger(all, { type: 'text', text: '帮助' }, { role: 'member' })).toBe('help');
    expect(matchTrigger(all, { type: 'text', text: '帮助' }, { role: 'staff' })).toBe('help_staff');
  });

  it('no two flows of the same audience share a keyword or menu key', () => {
    for (const audience of ['all', 'staff'] as const) {
      const keys = all
        .filter((f) => (f.def.audience ?? 'all') === audience)
        .flatMap((f) => [...(f.def.triggers?.keywords ?? []), ...(f.def.triggers?.menuKeys ?? [])]);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });
});

describe('notice_compose matches the notice domain', () => {
  const flow = byId('notice_compose');
  const step = (id: string) => flow.steps.get(id);

  it('kinds and length limits are those the validator accepts', () => {
    const kind = step('ask_kind');
    expect(kind?.type === 'choice' ? kind.options.map((o) => o.value) : []).toEqual([...NOTICE_KINDS]);
    const max = (id: string) => {
      const s = step(id);
      return s?.type === 'ask' ? s.maxLength : undefined;
    };
    expect(max('ask_title')).toBe(NOTICE_LIMITS.title);
    expect(max('ask_place')).toBe(NOTICE_LIMITS.place);
    expect(max('ask_content')).toBe(NOTICE_LIMITS.content);
  });

  it('preview and send carry the same payload; send is submit-type', () => {
    const preview = step('preview');
    const send = step('send');
    if (preview?.type !== 'action' || send?.type !== 'action') throw new Error('not actions');
    expect(preview.effect).toBe('notice.preview');
    expect(send.effect).toBe('notice.send');
    expect(send.submit).toBe(true);
    expect(send.payload).toEqual(preview.payload);
    expect(Object.keys(preview.payload ?? {}).sort()).toEqual(
      [
        'title',
        'kind',
        'startsAt',
        'place',
        'content',
        'audience',
        'sectors',
        'committees',
        'userids',
        'replyBy',
        'leaveNeedsReason',
      ].sort(),
    );
  });

  it('a send that could skip the summary and the confirmation does not compile', () => {
    const def = parse('notice_compose.yaml') as { steps: Record<string, unknown>[] };
    const leave = def.steps.find((s) => s['id'] === 'ask_leave_reason');
    if (leave === undefined) throw new Error('no ask_leave_reason');
    leave['no'] = 'send';
    const r = compileFlow(def);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems).toContainEqual({
        path: 'steps.send',
        message: '提交类操作「send」可以不经确认步骤到达',
      });
  });
});
