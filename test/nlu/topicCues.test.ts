import { describe, expect, it } from 'vitest';
import { CUE_INTENT_IDS, topicCues } from '../../src/nlu/topicCues.js';
import { loadUnderstanding } from '../../src/cli/nluEval.js';
import { intentIdOf, understandText } from '../../src/nlu/index.js';

/** Utterances of this test's own, in no evaluation set: what the cues are for, and what they must leave alone. */
describe('topic cues', () => {
  it('read the deciding words of short everyday forms', () => {
    expect(topicCues('好的我一定来').floors.get('notice.textAnswer:参加')).toBeGreaterThan(0);
    expect(topicCues('我赶不回来').floors.get('notice.textAnswer:请假')).toBeGreaterThan(0);
    expect(topicCues('哈啰').floors.get('help')).toBeGreaterThan(0);
    expect(topicCues('出个通知').floors.get('notice_compose')).toBeGreaterThan(0);
    expect(topicCues('5号提案什么情况').floors.get('proposal_status')).toBeGreaterThan(0);
  });

  it('do not take a negated or asking message for the action', () => {
    expect(topicCues('我去不了').floors.has('notice.textAnswer:参加')).toBe(false);
    expect(topicCues('请假需要提前多久').floors.has('notice.textAnswer:请假')).toBe(false);
    expect(topicCues('请假需要提前多久').floors.has('faq.leave_howto')).toBe(true);
  });

  it('need a proposal in the sentence before a date question is the deadline', () => {
    expect(topicCues('明天几号').floors.has('faq.deadline')).toBe(false);
    expect(topicCues('今年提案几号截止').floors.has('faq.deadline')).toBe(true);
  });

  it('halve the intents of the topic a message does not name', () => {
    const notice = topicCues('帮忙拟一份通知');
    expect(notice.factor('proposal')).toBeLessThan(1);
    expect(notice.factor('notice_compose')).toBe(1);
    const proposal = topicCues('那件提案我不参加联名');
    expect(proposal.factor('notice.textAnswer:请假')).toBeLessThan(1);
  });

  it('let the running matcher act on them', async () => {
    const nlu = await loadUnderstanding('flows');
    const read = (text: string, role: 'member' | 'staff' = 'member') =>
      intentIdOf(understandText(nlu, text, role));
    expect(read('行，我到')).toBe('notice.textAnswer:参加');
    expect(read('下周的会我来不了了')).toBe('notice.textAnswer:请假');
    expect(read('现在交提案还来得及吗')).toBe('faq.deadline');
    expect(read('我想提个关于养老的提案')).toBe('proposal');
    expect(read('我的提案为啥没立案')).toBe('faq.not_filed');
    expect(read('起草一份会议通知', 'staff')).toBe('notice_compose');
    expect(read('今天天气不错')).toBe('none');
  });
});

describe('the cues and the shipped intents', () => {
  it('every intent a cue names exists (a renamed flow, route phrase or FAQ id must not silently drop its cue)', async () => {
    const { matcher } = await loadUnderstanding('flows');
    const ids = new Set(matcher.intents.map((i) => i.id));
    expect(CUE_INTENT_IDS.filter((id) => !ids.has(id))).toEqual([]);
  });
});
