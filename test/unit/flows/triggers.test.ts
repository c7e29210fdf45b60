import { describe, expect, it } from 'vitest';
import { compileFlow } from '../../../src/flows/compileFlow.js';
import { matchTrigger, mayStart } from '../../../src/flows/triggers.js';
import type { CompiledFlow } from '../../../src/flows/types.js';
import { baseDef, compileOk } from './helpers.js';

function flow(
  id: string,
  keywords: string[],
  menuKeys: string[],
  audience?: 'all' | 'staff' | 'public',
): CompiledFlow {
  return compileOk({
    ...baseDef(),
    id,
    triggers: { keywords, menuKeys },
    ...(audience === undefined ? {} : { audience }),
  });
}

describe('citizens (微信客服) have their own audience', () => {
  const members = flow('proposal', ['写提案'], ['MENU_PROPOSAL']);
  const staff = flow('notice_compose', ['发通知'], [], 'staff');
  const poll = flow('poll', ['小调查'], ['MENU_POLL'], 'public');
  const flows = [members, staff, poll];

  it('a citizen starts public flows only', () => {
    expect(matchTrigger(flows, { type: 'text', text: '写提案' }, { role: 'citizen' })).toBeNull();
    expect(matchTrigger(flows, { type: 'text', text: '发通知' }, { role: 'citizen' })).toBeNull();
    expect(matchTrigger(flows, { type: 'text', text: '小调查' }, { role: 'citizen' })).toBe('poll');
    expect(mayStart(members, 'citizen')).toBe(false);
  });

  it('members and staff are never offered a public flow', () => {
    expect(matchTrigger(flows, { type: 'click', key: 'MENU_POLL' }, { role: 'member' })).toBeNull();
    expect(matchTrigger(flows, { type: 'text', text: '小调查' }, { role: 'staff' })).toBeNull();
    expect(mayStart(members, 'member')).toBe(true);
  });
});

describe('matchTrigger respects the flow audience', () => {
  const staffOnly = flow('notice_compose', ['发通知', '通知'], ['MENU_NOTICE'], 'staff');
  const everyone = flow('help', ['帮助', '通知'], ['MENU_HELP']);
  const explicitAll = flow('status', ['我的提案'], ['MENU_STATUS'], 'all');
  const flows = [staffOnly, everyone, explicitAll];

  it('never starts a staff flow for a member, by keyword or menu key', () => {
    expect(matchTrigger(flows, { type: 'text', text: '发通知' }, { role: 'member' })).toBeNull();
    expect(matchTrigger(flows, { type: 'text', text: ' 发通知！' }, { role: 'member' })).toBeNull();
    expect(matchTrigger(flows, { type: 'click', key: 'MENU_NOTICE' }, { role: 'member' })).toBeNull();
  });

  it('starts it for staff', () => {
    expect(matchTrigger(flows, { type: 'text', text: '发通知' }, { role: 'staff' })).toBe('notice_compose');
    expect(matchTrigger(flows, { type: 'click', key: 'MENU_NOTICE' }, { role: 'staff' })).toBe(
      'notice_compose',
    );
  });

  it('a keyword shared with a later flow falls through to it for a member; staff get the first', () => {
    expect(matchTrigger(flows, { type: 'text', text: '通知' }, { role: 'member' })).toBe('help');
    expect(matchTrigger(flows, { type: 'text', text: '通知' }, { role: 'staff' })).toBe('notice_compose');
  });

  it('for staff, a staff flow wins over an earlier all-audience flow with the same keyword (帮助 → staff menu)', () => {
    const help = flow('help', ['帮助'], ['MENU_HELP']);
    const helpStaff = flow('help_staff', ['帮助'], ['MENU_HELP'], 'staff');
    const both = [help, helpStaff];
    expect(matchTrigger(both, { type: 'text', text: '帮助' }, { role: 'staff' })).toBe('help_staff');
    expect(matchTrigger(both, { type: 'click', key: 'MENU_HELP' }, { role: 'staff' })).toBe('help_staff');
    expect(matchTrigger(both, { type: 'text', text: '帮助' }, { role: 'member' })).toBe('help');
  });

  it('flows for all (default or explicit) start for both roles', () => {
    for (const role of ['member', 'staff'] as const) {
      expect(matchTrigger(flows, { type: 'text', text: '帮助' }, { role })).toBe('help');
      expect(matchTrigger(flows, { type: 'click', key: 'MENU_STATUS' }, { role })).toBe('status');
    }
  });

  it('mayStart', () => {
    expect(mayStart(staffOnly, 'member')).toBe(false);
    expect(mayStart(staffOnly, 'staff')).toBe(true);
    expect(mayStart(everyone, 'member')).toBe(true);
    expect(mayStart(explicitAll, 'member')).toBe(true);
  });

  it('the schema accepts only all | staff', () => {
    const r = compileFlow({ ...baseDef(), audience: 'members' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.path)).toContain('audience');
  });
});
