import { normalizeWidth } from '../flows/normalize.js';
import type { Intent } from './intents.js';
import { normalizeUtterance } from './normalizeUtterance.js';
import { questionCues } from './questionCues.js';
import { topicCues } from './topicCues.js';

export type MatchRole = 'member' | 'staff' | 'unit' | 'citizen';

export interface RankedIntent {
  intent: Intent;
  /** 0..1: similarity to the closest example, lifted when a keyword is contained whole. */
  score: number;
}

export interface Matcher {
  /** The intents this role may ask for, best first (one entry per intent, score > 0). */
  rank(text: string, role: MatchRole): RankedIntent[];
  /**
   * What the text says beyond the words the intent is asked in (「我那个养老的提案到哪一步了」 → 养老 for 我的提案):
   * the runs of two or more characters no keyword or example of the intent contains, joined by spaces; null when
   * there are none. A reference (a title word, 3号) the intent's question can take.
   */
  rest(text: string, intent: Intent): string | null;
  readonly intents: readonly Intent[];
}

export interface MatcherTuning {
  /** Weight of single characters: they say little in Chinese (的, 我, 了); pairs and triples carry the words. */
  unigram: number;
  /**
   * 0.5 is the cosine; above it, an example found inside a longer message counts more than the extra words
   * count against it (「麻烦帮我开个新提案」 still means 新提案).
   */
  containment: number;
  /**
   * Score of a keyword of 3 characters or more contained whole (「我想写提案」 ⊃ 写提案): good evidence, short of an
   * example said verbatim. Two-character ones (参加, 请假) are too often part of a question about them (怎么请假).
   */
  containedKeyword: number;
  /** Factor on FAQ scores when the message asks how (怎么请假 is the FAQ, not 请假). */
  howToFaq: number;
  /** Factor on answers to a notice or invitation (routes) when the message is a question or asks how. */
  questionAnswer: number;
  /** Factor on an example negated where the message is not, or the reverse (能来 is not 不能来了). */
  polarity: number;
}

export const DEFAULT_TUNING: MatcherTuning = {
  unigram: 0.5,
  containment: 0.7,
  containedKeyword: 0.5,
  howToFaq: 1.5,
  questionAnswer: 0.6,
  polarity: 0.7,
};

/**
 * A negation (不能, 来不了, 没法, 无法) turns a request around; 没问题 and 不好意思 do not, nor a 不 ending the
 * message, which asks (在不, 去不).
 */
const NEGATION = /不(?!好意思|错|$)|没(?!问题)|无法|缺席/;

/**
 * Politeness and filler that carry no intent (请问, 一下, 吗, 呢): removed before comparing, so 「请问我的提案呢」
 * is as close to 我的提案 as 「我的提案」.
 */
const FILLER = /请问|麻烦|您好|你好|一下|一个|一份|一件|帮我|给我|我想|我要|想要|[的了吗呢吧嘛啊呀哦哈么]/g;

function prepare(text: string): string {
  const norm = normalizeUtterance(text);
  const stripped = norm.replace(FILLER, '');
  // A message of filler only (「你好吗」) keeps its words: it is all there is to go on.
  return stripped || norm;
}

/** Character n-grams: unigrams (light), and bigrams and trigrams with start/end marks. */
function grams(text: string, unigram: number): Map<string, number> {
  const chars = [...text];
  const out = new Map<string, number>();
  const add = (g: string, w: number): void => {
    out.set(g, (out.get(g) ?? 0) + w);
  };
  for (const c of chars) add(c, unigram);
  const marked = ['^', ...chars, '$'];
  for (let n = 2; n <= 3; n++) {
    for (let i = 0; i + n <= marked.length; i++) add(marked.slice(i, i + n).join(''), 1);
  }
  return out;
}

/**
 * A character n-gram TF-IDF nearest-example classifier, trained from the intents' keywords and examples. Chinese
 * needs no word segmentation for this: bigrams and trigrams of characters are the words and their neighbours, and
 * IDF over the examples discounts what every request shares (提案, 我). Deterministic, pure, trains in
 * milliseconds, and answers in microseconds through an inverted index.
 *
 * Each role is matched against the intents it may ask for only, weighted by their own examples: the staff's and
 * the units' many 提案 actions (审查提案, 签收提案 …) must not make 提案 a weaker word for a member.
 */
export function createMatcher(intents: readonly Intent[], tuning: Partial<MatcherTuning> = {}): Matcher {
  const all = trainMatcher(intents, tuning);
  const byRole = new Map<string, Matcher>();
  const forRole = (role: MatchRole): Matcher => {
    let m = byRole.get(role);
    if (!m) {
      m = trainMatcher(
        intents.filter((i) => i.audience === 'all' || i.audience === role),
        tuning,
      );
      byRole.set(role, m);
    }
    return m;
  };
  return {
    intents,
    rest: (text, intent) => all.rest(text, intent),
    rank: (text, role) => forRole(role).rank(text, role),
  };
}

function trainMatcher(intents: readonly Intent[], tuning: Partial<MatcherTuning>): Matcher {
  const t = { ...DEFAULT_TUNING, ...tuning };
  const indexOf = new Map(intents.map((intent, i) => [intent.id, i]));
  const texts: { intent: number; text: string; negated: boolean }[] = [];
  const keywords: { intent: number; text: string }[] = [];
  intents.forEach((intent, i) => {
    for (const k of intent.keywords) {
      const text = prepare(k);
      if (!text) continue;
      texts.push({ intent: i, text, negated: NEGATION.test(text) });
      if ([...text].length >= 3) keywords.push({ intent: i, text });
    }
    for (const e of intent.examples) {
      const text = prepare(e);
      if (text) texts.push({ intent: i, text, negated: NEGATION.test(text) });
    }
  });
  const vectors = texts.map((x) => grams(x.text, t.unigram));
  const pairsOf = new Map<number, Set<string>>();
  for (const x of texts) {
    const set = pairsOf.get(x.intent) ?? new Set<string>();
    const chars = [...x.text];
    for (let i = 0; i + 1 < chars.length; i++) set.add(chars[i]! + chars[i + 1]!);
    pairsOf.set(x.intent, set);
  }
  const df = new Map<string, number>();
  for (const v of vectors) for (const g of v.keys()) df.set(g, (df.get(g) ?? 0) + 1);
  const idf = (g: string): number => Math.log(1 + texts.length / (df.get(g) ?? 0.5));

  const index = new Map<string, { example: number; weight: number }[]>();
  const norms = vectors.map((v, e) => {
    let sq = 0;
    for (const [g, tf] of v) {
      const w = tf * idf(g);
      sq += w * w;
      const postings = index.get(g) ?? [];
      postings.push({ example: e, weight: w });
      index.set(g, postings);
    }
    return Math.sqrt(sq);
  });

  // 「？？」: punctuation alone has no words to compare; a keyword made of that punctuation (？ for help) is meant.
  const punctuationOnly = (text: string): RankedIntent[] => {
    const folded = normalizeWidth(text)
      .replace(/\s+/g, '')
      .replace(/(.)\1+/gu, '$1');
    const hit = intents.find((i) => i.keywords.some((k) => normalizeWidth(k) === folded));
    return hit ? [{ intent: hit, score: 1 }] : [];
  };

  return {
    intents,
    rest(text, intent) {
      const pairs = pairsOf.get(intents.indexOf(intent)) ?? new Set<string>();
      const chars = [...prepare(text)];
      const covered = chars.map(() => false);
      for (let i = 0; i + 1 < chars.length; i++) {
        if (pairs.has(chars[i]! + chars[i + 1]!)) covered[i] = covered[i + 1] = true;
      }
      const runs = chars
        .map((c, i) => (covered[i] ? ' ' : c))
        .join('')
        .split(' ')
        .filter((r) => [...r].length >= 2);
      return runs.length > 0 ? runs.join(' ') : null;
    },
    rank(text, role) {
      const q = prepare(text);
      if (!q) return punctuationOnly(text);
      const scores = new Map<number, number>();
      const lift = (intent: number, s: number): void => {
        if (s > (scores.get(intent) ?? 0)) scores.set(intent, s);
      };
      const dots = new Map<number, number>();
      let qsq = 0;
      for (const [g, tf] of grams(q, t.unigram)) {
        const w = tf * idf(g);
        qsq += w * w;
        for (const p of index.get(g) ?? []) dots.set(p.example, (dots.get(p.example) ?? 0) + w * p.weight);
      }
      const qnorm = Math.sqrt(qsq);
      const negated = NEGATION.test(q);
      for (const [e, dot] of dots) {
        const enorm = norms[e]!;
        const sim = dot / (enorm ** (2 * t.containment) * qnorm ** (2 - 2 * t.containment));
        lift(texts[e]!.intent, Math.min(1, sim) * (texts[e]!.negated === negated ? 1 : t.polarity));
      }
      for (const k of keywords) if (q.includes(k.text)) lift(k.intent, t.containedKeyword);
      const topic = topicCues(text);
      for (const [id, floor] of topic.floors) {
        const i = indexOf.get(id);
        if (i !== undefined) lift(i, floor);
      }
      const cues = questionCues(text);
      for (const [i, s0] of scores) {
        const s = s0 * topic.factor(intents[i]!.id);
        scores.set(i, s);
        const kind = intents[i]!.kind;
        if (cues.howTo && kind === 'faq') scores.set(i, Math.min(1, s * t.howToFaq));
        if ((cues.howTo || cues.question) && kind === 'route') scores.set(i, s * t.questionAnswer);
      }
      return [...scores]
        .filter(([i]) => mayAsk(role, intents[i]!.audience))
        .map(([i, score]) => ({ intent: intents[i]!, score }))
        .sort((a, b) => b.score - a.score || a.intent.id.localeCompare(b.intent.id));
    },
  };
}

/** Citizens are offered public intents only; others all-audience ones and their own (staff, unit). */
function mayAsk(role: MatchRole, audience: Intent['audience']): boolean {
  if (role === 'citizen' || audience === 'public') return role === 'citizen' && audience === 'public';
  return audience === 'all' || audience === role;
}
