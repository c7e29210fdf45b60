import type { Member, MemberStore } from '../ports.js';

/** Local mode: so a newcomer can talk to the bot at once, an empty directory gets two members and one staff. */
export const DEMO_MEMBERS: readonly Member[] = [
  {
    userId: 'demo-weiyuan1',
    name: '演示委员甲',
    role: 'member',
    sector: '经济界',
    committee: '提案委员会',
    mobile: null,
    active: true,
  },
  {
    userId: 'demo-weiyuan2',
    name: '演示委员乙',
    role: 'member',
    sector: '教育界',
    committee: '经济委员会',
    mobile: null,
    active: true,
  },
  {
    userId: 'demo-staff',
    name: '演示工作人员',
    role: 'staff',
    sector: null,
    committee: null,
    mobile: null,
    active: true,
  },
];

export async function seedDemoMembers(members: MemberStore): Promise<boolean> {
  if ((await members.count()) > 0) return false;
  await members.upsertMany(DEMO_MEMBERS);
  return true;
}
