import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/core/ports.js';
import type { NewProposal } from '../../src/features/proposals/ports.js';
import { databaseBackends, useDatabase } from './backends.js';
import { proposalStore } from '../../src/features/proposals/proposalStore.js';

const at = (minute: number): Date => new Date(Date.UTC(2030, 2, 1, 9, minute, 0, 500));

const proposal = (seq: number, over: Partial<NewProposal> = {}): NewProposal => ({
  submitKey: `effect-${seq}`,
  year: 2030,
  seq,
  number: `〔2030〕第${String(seq).padStart(3, '0')}号`,
  ownerId: 'zhang',
  title: `关于第${seq}件事的建议`,
  category: '经济建设',
  subcategory: '乡村振兴',
  reason: '情况分析：……',
  suggestions: '一、……\n二、……',
  handlingUnits: ['县农业农村局', '县财政局'],
  isPublic: true,
  privateReason: null,
  ...over,
});

const submit = (p: NewProposal, cosignerIds: string[] = [], minute = 0): Change => ({
  type: 'proposal.submit',
  proposal: p,
  cosignerIds,
  at: at(minute),
});

const reply = (dedupKey: string): Change => ({
  type: 'outbox.add',
  message: { dedupKey, toUser: 'zhang', message: { msgtype: 'text', text: { content: '已提交' } } },
  at: at(0),
});

for (const backend of databaseBackends) {
  describe.skipIf(backend.skip)(`ProposalStore contract: ${backend.name}`, () => {
    const ctx = useDatabase(backend);

    async function idOf(submitKey: string): Promise<number> {
      const p = await proposalStore(ctx.db).getBySubmitKey(submitKey);
      if (!p) throw new Error(`no proposal ${submitKey}`);
      return p.id;
    }

    it('returns null / empty / 0 when there is nothing', async () => {
      expect(await ctx.reads.proposal(1)).toBeNull();
      expect(await proposalStore(ctx.db).getBySubmitKey('none')).toBeNull();
      expect(await proposalStore(ctx.db).listForMember('zhang')).toEqual([]);
      expect(await proposalStore(ctx.db).maxSeq(2030)).toBe(0);
      expect(await proposalStore(ctx.db).events(1)).toEqual([]);
      expect(await proposalStore(ctx.db).cosigners(1)).toEqual([]);
    });

    it('submits: the proposal as submitted, its first event, and deduplicated invitations without the owner', async () => {
      const p = proposal(1, {
        title: '关于加强农村饮水安全的建议💧😀',
        category: null,
        subcategory: null,
        handlingUnits: [],
        isPublic: false,
        privateReason: '涉及个别小区的具体情况',
      });
      await ctx.db.commit([submit(p, ['li', 'wang', 'li', 'zhang'], 3), reply('r1')]);
      const id = await idOf('effect-1');
      const expected = {
        ...p,
        id,
        status: 'submitted',
        // A new proposal starts its lifecycle: version 0, no flag, no merge, no round, no deadline, no reply yet.
        version: 0,
        keyProposal: false,
        mergedInto: null,
        rehandlingRound: 0,
        dueDate: null,
        lastReplyClass: null,
        submittedAt: at(3),
        updatedAt: at(3),
      };
      expect(await ctx.reads.proposal(id)).toEqual(expected);
      expect(await proposalStore(ctx.db).getBySubmitKey('effect-1')).toEqual(expected);
      expect(await proposalStore(ctx.db).events(id)).toEqual([
        { proposalId: id, status: 'submitted', note: null, at: at(3) },
      ]);
      expect(await proposalStore(ctx.db).cosigners(id)).toEqual([
        { proposalId: id, userId: 'li', status: 'invited', respondedAt: null },
        { proposalId: id, userId: 'wang', status: 'invited', respondedAt: null },
      ]);
      expect((await ctx.db.outbox.listForUser('zhang', 0, 10)).map((m) => m.dedupKey)).toEqual(['r1']);
    });

    it('round-trips long Chinese text and handling units', async () => {
      const p = proposal(1, {
        reason: '据调查，'.repeat(2000) + '🚰',
        suggestions: '建议：\n1. 加大投入；\n2. 落实责任。😀',
        handlingUnits: ['县水利局', '县卫健委', '🏛️ 某单位'],
      });
      await ctx.db.commit([submit(p)]);
      expect(await proposalStore(ctx.db).getBySubmitKey('effect-1')).toMatchObject(p);
    });

    it('treats a second submission with the same submitKey as a no-op; the rest of that commit still lands', async () => {
      await ctx.db.commit([submit(proposal(1), ['li'])]);
      const id = await idOf('effect-1');
      // Same key, other content and even another seq: nothing changes, no error, the reply is still queued.
      await ctx.db.commit([
        submit(proposal(2, { submitKey: 'effect-1', title: '改过' }), ['wang'], 9),
        reply('r-again'),
      ]);
      expect(await ctx.reads.proposal(id)).toMatchObject({ title: '关于第1件事的建议', seq: 1 });
      expect(await proposalStore(ctx.db).maxSeq(2030)).toBe(1);
      expect(await proposalStore(ctx.db).events(id)).toHaveLength(1);
      expect((await proposalStore(ctx.db).cosigners(id)).map((c) => c.userId)).toEqual(['li']);
      expect(await proposalStore(ctx.db).listForMember('zhang')).toHaveLength(1);
      expect((await ctx.db.outbox.listForUser('zhang', 0, 10)).map((m) => m.dedupKey)).toEqual(['r-again']);
    });

    it('stores one proposal when 5 commits of the same submitKey race', async () => {
      const other = await ctx.openAnother();
      const dbs = [ctx.db, other, ctx.db, other, ctx.db];
      const results = await Promise.allSettled(
        dbs.map((db, i) => db.commit([submit(proposal(1), ['li', 'wang']), reply(`race-${i}`)])),
      );
      expect(results.map((r) => r.status)).toEqual(Array(5).fill('fulfilled'));
      const list = await proposalStore(ctx.db).listForMember('zhang');
      expect(list).toHaveLength(1);
      expect(await proposalStore(ctx.db).events(list[0]!.id)).toHaveLength(1);
      expect(await proposalStore(ctx.db).cosigners(list[0]!.id)).toHaveLength(2);
      expect(await proposalStore(ctx.db).listForMember('li')).toHaveLength(1);
      expect(await ctx.db.outbox.listForUser('zhang', 0, 10)).toHaveLength(5);
    });

    it('fails the whole commit on a (year, seq) collision with another submitKey', async () => {
      await ctx.db.commit([submit(proposal(1), ['li'])]);
      const first = await proposalStore(ctx.db).getBySubmitKey('effect-1');
      await expect(
        ctx.db.commit([
          { type: 'conversation.save', userId: 'wang', data: { step: 'done' }, at: at(5) },
          reply('lost'),
          submit(proposal(1, { submitKey: 'effect-other', ownerId: 'wang' }), ['zhao'], 5),
        ]),
      ).rejects.toThrow();
      expect(await proposalStore(ctx.db).getBySubmitKey('effect-other')).toBeNull();
      expect(await proposalStore(ctx.db).getBySubmitKey('effect-1')).toEqual(first);
      expect(await proposalStore(ctx.db).listForMember('wang')).toEqual([]);
      expect(await proposalStore(ctx.db).listForMember('zhao')).toEqual([]);
      expect(await ctx.db.conversations.get('wang')).toBeNull();
      expect(await ctx.db.outbox.countByStatus()).toEqual({ pending: 0, sent: 0, failed: 0 });
      // The same seq in another year is fine.
      await ctx.db.commit([submit(proposal(1, { submitKey: 'effect-2031', year: 2031 }))]);
      expect(await proposalStore(ctx.db).maxSeq(2031)).toBe(1);
    });

    it('maxSeq is per year', async () => {
      await ctx.db.commit([
        submit(proposal(1)),
        submit(proposal(7)),
        submit(proposal(3)),
        submit(proposal(12, { submitKey: 'old', year: 2029 })),
      ]);
      expect(await proposalStore(ctx.db).maxSeq(2030)).toBe(7);
      expect(await proposalStore(ctx.db).maxSeq(2029)).toBe(12);
      expect(await proposalStore(ctx.db).maxSeq(2031)).toBe(0);
    });

    it('lists for the owner and for invited or accepted co-signers, newest first, never for strangers', async () => {
      await ctx.db.commit([submit(proposal(1), ['li'], 1)]);
      await ctx.db.commit([submit(proposal(2, { ownerId: 'li' }), ['zhang', 'wang'], 2)]);
      await ctx.db.commit([submit(proposal(3), ['li', 'wang'], 3)]);
      // Same submission time as #3: the higher id comes first.
      await ctx.db.commit([submit(proposal(4, { ownerId: 'zhao' }), ['zhang'], 3)]);
      const seqs = async (userId: string): Promise<number[]> =>
        (await proposalStore(ctx.db).listForMember(userId)).map((p) => p.seq);

      expect(await seqs('zhang')).toEqual([4, 3, 2, 1]);
      expect(await seqs('li')).toEqual([3, 2, 1]);
      expect(await seqs('wang')).toEqual([3, 2]);
      expect(await seqs('zhao')).toEqual([4]);
      expect(await seqs('stranger')).toEqual([]);

      const p2 = await idOf('effect-2');
      const p3 = await idOf('effect-3');
      await ctx.db.commit([
        { type: 'cosigner.respond', proposalId: p2, userId: 'wang', status: 'accepted', at: at(10) },
        { type: 'cosigner.respond', proposalId: p3, userId: 'wang', status: 'declined', at: at(10) },
      ]);
      expect(await seqs('wang')).toEqual([2]);
      const [full] = await proposalStore(ctx.db).listForMember('wang');
      expect(full).toEqual(await ctx.reads.proposal(p2));
    });

    it('proposal.status updates the proposal and appends to the timeline, in order', async () => {
      await ctx.db.commit([submit(proposal(1), [], 0)]);
      const id = await idOf('effect-1');
      await ctx.db.commit([
        { type: 'proposal.status', proposalId: id, status: 'under_review', note: null, at: at(1) },
      ]);
      await ctx.db.commit([
        { type: 'proposal.status', proposalId: id, status: 'registered', note: '立案😀', at: at(2) },
        { type: 'proposal.status', proposalId: id, status: 'assigned', note: '交县水利局', at: at(2) },
      ]);
      expect(await ctx.reads.proposal(id)).toMatchObject({
        status: 'assigned',
        updatedAt: at(2),
        submittedAt: at(0),
      });
      expect(await proposalStore(ctx.db).events(id)).toEqual([
        { proposalId: id, status: 'submitted', note: null, at: at(0) },
        { proposalId: id, status: 'under_review', note: null, at: at(1) },
        { proposalId: id, status: 'registered', note: '立案😀', at: at(2) },
        { proposalId: id, status: 'assigned', note: '交县水利局', at: at(2) },
      ]);
    });

    it('proposal.status on a missing proposal is a no-op', async () => {
      await ctx.db.commit([
        { type: 'proposal.status', proposalId: 999, status: 'closed', note: null, at: at(1) },
      ]);
      expect(await proposalStore(ctx.db).events(999)).toEqual([]);
    });

    it('cosigner.respond answers a pending invitation once; otherwise a no-op', async () => {
      await ctx.db.commit([submit(proposal(1), ['li', 'wang'])]);
      const id = await idOf('effect-1');
      await ctx.db.commit([
        { type: 'cosigner.respond', proposalId: id, userId: 'li', status: 'accepted', at: at(4) },
        { type: 'cosigner.respond', proposalId: id, userId: 'stranger', status: 'accepted', at: at(4) },
        { type: 'cosigner.respond', proposalId: 999, userId: 'wang', status: 'declined', at: at(4) },
      ]);
      expect(await proposalStore(ctx.db).cosigners(id)).toEqual([
        { proposalId: id, userId: 'li', status: 'accepted', respondedAt: at(4) },
        { proposalId: id, userId: 'wang', status: 'invited', respondedAt: null },
      ]);
      await ctx.db.commit([
        { type: 'cosigner.respond', proposalId: id, userId: 'li', status: 'declined', at: at(5) },
        { type: 'cosigner.respond', proposalId: id, userId: 'wang', status: 'declined', at: at(5) },
      ]);
      expect(await proposalStore(ctx.db).cosigners(id)).toEqual([
        { proposalId: id, userId: 'li', status: 'accepted', respondedAt: at(4) },
        { proposalId: id, userId: 'wang', status: 'declined', respondedAt: at(5) },
      ]);
      expect(await proposalStore(ctx.db).cosigners(999)).toEqual([]);
    });

    it('cosigner.respond: a declined co-signer may still accept (a change of mind before 立案)', async () => {
      await ctx.db.commit([submit(proposal(1), ['li'])]);
      const id = await idOf('effect-1');
      await ctx.db.commit([
        { type: 'cosigner.respond', proposalId: id, userId: 'li', status: 'declined', at: at(4) },
      ]);
      await ctx.db.commit([
        { type: 'cosigner.respond', proposalId: id, userId: 'li', status: 'accepted', at: at(5) },
      ]);
      expect(await proposalStore(ctx.db).cosigners(id)).toEqual([
        { proposalId: id, userId: 'li', status: 'accepted', respondedAt: at(5) },
      ]);
    });

    it('invitationsFor lists every invitation with its answer, declined ones too, newest first', async () => {
      await ctx.db.commit([submit(proposal(1), ['li'], 1)]);
      await ctx.db.commit([submit(proposal(2, { submitKey: 'effect-2' }), ['li'], 2)]);
      await ctx.db.commit([submit(proposal(3, { submitKey: 'effect-3' }), [], 3)]);
      const first = await idOf('effect-1');
      await ctx.db.commit([
        { type: 'cosigner.respond', proposalId: first, userId: 'li', status: 'declined', at: at(4) },
      ]);
      const list = await proposalStore(ctx.db).invitationsFor('li');
      expect(list.map((i) => [i.proposal.seq, i.status])).toEqual([
        [2, 'invited'],
        [1, 'declined'],
      ]);
      expect(await proposalStore(ctx.db).invitationsFor('zhang')).toEqual([]);
    });
  });
}
