import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  askedQuestions,
  compileFlow,
  isSkipAnswer,
  parseFlowYaml,
  parseNumberInSentence,
  parseSurvey,
  step,
  type CompiledFlow,
  type FlowState,
  type SurveyDef,
} from '../../../src/flows/index.js';
import {
  maskPersonalNumbers,
  pickSurvey,
  summaryText,
  surveyResults,
  surveyStatus,
  type ResponseInput,
} from '../../../src/features/surveys/domain/index.js';
import { keptAnswers } from '../../../src/features/surveys/effects.js';

const YAML = readFileSync('flows/surveys/minsheng_2027.yaml', 'utf8');
const doc = (): Record<string, unknown> => {
  const p = parseFlowYaml(YAML);
  if (!p.ok) throw new Error('yaml');
  return p.value as Record<string, unknown>;
};
function example(): SurveyDef {
  const r = parseSurvey(doc());
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.survey;
}
const NOW = new Date('2026-12-03T10:00:00+08:00');

describe('survey files', () => {
  it('the example parses: times in China time, plain options become their own values', () => {
    const s = example();
    expect(s.closes.toISOString()).toBe('2027-01-31T15:59:00.000Z');
    expect(s.questions.map((q) => [q.id, q.type, q.required])).toEqual([
      ['projects', 'multiple', true],
      ['rating', 'rating', true],
      ['lowReason', 'longText', false],
      ['suggestion', 'longText', false],
      ['town', 'single', false],
      ['ageGroup', 'single', false],
    ]);
    expect(s.questions[4]?.options[1]).toEqual({ value: '东城街道', label: '东城街道' });
  });

  it('refuses what cannot work, naming where', () => {
    const bad = {
      ...doc(),
      closes: '明年',
      questions: [
        { id: 'a', type: 'single', title: '？' },
        { id: 'b', type: 'rating', title: '？', when: 'c == 1', options: ['x', 'y'] },
        { id: 'c', type: 'multiple', title: '？', options: ['x', 'y'], maxItems: 3 },
        { id: 'a', type: 'number', title: '？' },
      ],
    };
    const r = parseSurvey(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path)).toEqual(['closes']);
    const r2 = parseSurvey({ ...bad, closes: '2027-01-31' });
    expect(r2.ok).toBe(false);
    if (r2.ok) return;
    expect(r2.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'questions.0(a).options: 单选、多选题需要 options',
      'questions.1(b).options: 只有单选、多选题有 options',
      'questions.1(b).when: 条件只能引用前面的题目，「c」不在前面',
      'questions.2(c).maxItems: 最多只有 2 个选项',
      'questions.3(a).id: 题目 id「a」重复',
    ]);
    const eleven = Array.from({ length: 11 }, (_, i) => `选项${i}`);
    const r3 = compileFlow({
      ...doc(),
      questions: [{ id: 'a', type: 'single', title: '？', options: eleven }],
    });
    expect(r3.ok).toBe(false);
  });

  it('compiles into a flow the engine runs, with a branch for each condition', () => {
    const r = compileFlow(doc());
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.flow.id).toBe('minsheng_2027');
    expect(r.flow.steps.get('if_lowReason')).toMatchObject({ type: 'branch', else: 'q_suggestion' });
    expect(r.flow.steps.get('q_town')).toMatchObject({ type: 'choice', optional: true });
    expect(r.flow.steps.get('q_rating')).toMatchObject({ type: 'number', min: 1, max: 5, optional: false });
  });
});

describe('skip logic', () => {
  it('a question behind a condition counts only when the condition held', () => {
    const s = example();
    const ids = (a: Record<string, never>) => askedQuestions(s, a).map((q) => q.id);
    expect(ids({ rating: 2 } as never)).toContain('lowReason');
    expect(ids({ rating: 4 } as never)).not.toContain('lowReason');
    // An answer left from before a change of mind is dropped when the response is kept.
    expect(
      keptAnswers(s, { projects: ['school'], rating: 5, lowReason: '太慢', surveyStatus: 'open', x: 1 }),
    ).toEqual({ projects: ['school'], rating: 5 });
  });
});

describe('everyday answers', () => {
  it('reads the one number a sentence gives', () => {
    expect(parseNumberInSentence('都挺好的给4分吧')).toBe(4);
    expect(parseNumberInSentence('打五分')).toBe(5);
    expect(parseNumberInSentence('３')).toBe(3);
    expect(parseNumberInSentence('一般般吧')).toBeNull();
    expect(parseNumberInSentence('一般，给3分')).toBe(3);
    expect(parseNumberInSentence('3分或者4分')).toBeNull();
  });

  it('knows the ways of declining a question', () => {
    for (const t of ['不想说', '跳过', '跳过这题', '保密', '不愿透露。', '这题不想回答'])
      expect(isSkipAnswer(t)).toBe(true);
    for (const t of ['没有', '说不好', '第二个', '不想说话的人太多了']) expect(isSkipAnswer(t)).toBe(false);
  });

  it('a required question refuses 不想说; an optional one takes it as no answer', () => {
    const r = compileFlow(doc());
    if (!r.ok) throw new Error('compile');
    const flow: CompiledFlow = r.flow;
    let s: FlowState = step({ flow, state: null, input: { type: 'start' }, now: NOW }).state;
    const feed = (input: Parameters<typeof step>[0]['input']) => {
      const res = step({ flow, state: s, input, now: NOW });
      s = res.state;
      return res.replies.map((x) => x.text).join('\n');
    };
    feed({
      type: 'effectResult',
      effectId: s.waiting?.effectId ?? '',
      ok: true,
      data: { status: 'open', closesOn: 'x', answeredOn: '' },
    });
    expect(feed({ type: 'text', text: '不想说' })).toContain('这一题需要回答');
    feed({ type: 'text', text: '第二个' });
    expect(s.answers['projects']).toEqual(['school']);
    feed({ type: 'text', text: '5' });
    // Over the limit: refused, and the text is not kept anywhere in the conversation.
    const long = '路灯'.repeat(501);
    expect(feed({ type: 'text', text: long })).toContain('没有保存');
    expect(JSON.stringify(s)).not.toContain(long.slice(0, 100));
    feed({ type: 'text', text: '不想说' });
    expect(s.answers['suggestion']).toBe('');
  });
});

describe('status', () => {
  const survey = { opens: null, closes: new Date('2027-01-31T15:59:00Z') };
  it('local mode: open at once until the closing time', () => {
    expect(surveyStatus(survey, null, NOW, true)).toBe('open');
    expect(surveyStatus(survey, null, new Date('2027-02-01T00:00:00Z'), true)).toBe('closed');
  });
  it('with WeCom: only between the time staff open it and its closing time, or an early close', () => {
    expect(surveyStatus(survey, null, NOW, false)).toBe('draft');
    const opened = { openedAt: new Date(NOW.getTime() - 1000), closesAt: null, closedAt: null };
    expect(surveyStatus(survey, opened, NOW, false)).toBe('open');
    const later = { ...opened, closesAt: new Date(NOW.getTime() + 1000) };
    expect(surveyStatus(survey, later, new Date(NOW.getTime() + 1000), false)).toBe('closed');
    expect(surveyStatus(survey, { ...opened, closedAt: NOW }, NOW, false)).toBe('closed');
    const notYet = { opens: new Date(NOW.getTime() + 60_000), closes: survey.closes };
    expect(surveyStatus(notYet, opened, NOW, false)).toBe('scheduled');
  });
});

describe('results', () => {
  const s = example();
  const responses: ResponseInput[] = [
    {
      audience: 'citizens',
      answers: {
        projects: ['school', 'roads'],
        rating: 4,
        suggestion: '电话13812345678',
        town: '青山镇',
        ageGroup: '',
      },
    },
    {
      audience: 'citizens',
      answers: {
        projects: ['school'],
        rating: 2,
        lowReason: '太慢',
        suggestion: '',
        town: '青山镇',
        ageGroup: '18-30岁',
      },
    },
    {
      audience: 'members',
      answers: { projects: ['elderly'], rating: 5, suggestion: '', town: '河口镇', ageGroup: '' },
    },
    // A stale low-rating reason (the rating was raised afterwards) is not counted.
    {
      audience: 'citizens',
      answers: { projects: ['roads'], rating: 5, lowReason: '旧的', suggestion: '', town: '', ageGroup: '' },
    },
  ];

  it('counts and percentages per option, mean and distribution, texts masked', () => {
    const r = surveyResults(s, responses);
    if ('error' in r) throw new Error(r.error);
    expect(r.respondents).toBe(4);
    expect(r.byAudience).toEqual({ citizens: 3, members: 1 });
    const projects = r.questions.find((q) => q.id === 'projects');
    expect(projects?.options?.find((o) => o.value === 'school')).toEqual({
      value: 'school',
      label: '新建改扩建公办幼儿园和中小学',
      count: 2,
      percent: 50,
    });
    const rating = r.questions.find((q) => q.id === 'rating');
    expect(rating?.mean).toBe(4);
    expect(rating?.distribution?.map((d) => d.count)).toEqual([0, 1, 0, 1, 2]);
    expect(r.questions.find((q) => q.id === 'lowReason')).toMatchObject({ answered: 1, texts: ['太慢'] });
    expect(r.questions.find((q) => q.id === 'suggestion')).toMatchObject({
      answered: 1,
      skipped: 3,
      texts: ['电话138****5678'],
    });
    expect(summaryText(r)).toContain('共 4 份（群众 3，委员 1）');
  });

  it('cross-tabulates by a demographic question, and refuses one that is not single choice', () => {
    const r = surveyResults(s, responses, 'town');
    if ('error' in r) throw new Error(r.error);
    const qingshan = r.crossTab?.groups.find((g) => g.value === '青山镇');
    expect(qingshan?.respondents).toBe(2);
    expect(qingshan?.questions.find((q) => q.id === 'rating')?.mean).toBe(3);
    expect(r.crossTab?.groups.at(-1)).toMatchObject({ label: '未回答', respondents: 1 });
    expect(surveyResults(s, responses, 'rating')).toEqual({
      error: '「rating」不是这份问卷的单选题，无法按它分组',
    });
  });
});

describe("citizens' data", () => {
  it('masks mobiles, 身份证号 and landlines in free text', () => {
    expect(maskPersonalNumbers('我的电话13812345678，身份证110101199001011234，座机0571-87654321')).toBe(
      '我的电话138****5678，身份证110101********1234，座机0571-****21',
    );
    expect(maskPersonalNumbers('2027年要修3条路')).toBe('2027年要修3条路');
  });
});

describe('picking a survey from the list', () => {
  const listed = [{ title: '2027年民生实事项目征集' }, { title: '城区停车难问题问卷' }];
  it('by number or by a title word only one has', () => {
    expect(pickSurvey('1', listed)).toBe(listed[0]);
    expect(pickSurvey('第二个', listed)).toBe(listed[1]);
    expect(pickSurvey('我要参加民生实事', listed)).toBe(listed[0]);
    expect(pickSurvey('3', listed)).toBeNull();
    expect(pickSurvey('你好', listed)).toBeNull();
  });
});
