import { normalizeWidth } from '../../../flows/normalize.js';
/**
 * The checks of a proposal's validity rules a machine can make on a proposal's text. Pure and heuristic: errors block the
 * submission (no concrete suggestion = 不予立案 ground 10, a proposal the member already submitted, lengths out
 * of bounds); warnings explain a risk (一事一案, the 不予立案 grounds a text can reveal, the title form) and the
 * member may confirm past them. Messages are Chinese, one sentence or two, ready to show.
 */

export type ProposalField = 'title' | 'reason' | 'suggestions';

export interface ProposalDraft {
  title: string;
  /** 案由 / 情况分析. */
  reason: string;
  /** 具体建议, one per line (numbering optional). */
  suggestions: string;
}

export interface CheckMessage {
  field: ProposalField;
  message: string;
}

export interface ProposalCheck {
  errors: CheckMessage[];
  warnings: CheckMessage[];
}

/** Lengths in characters (R7). The flow's ask steps use the same bounds, so there an error here is a bug. */
export const PROPOSAL_LIMITS = {
  title: { min: 5, max: 50 },
  reason: { min: 30, max: 2000 },
  suggestions: { min: 10, max: 1500 },
  /** Above this (案由 + 建议) the member is advised to shorten; about 1000 字 is the usual guideline. */
  advisedTotal: 2500,
} as const;

const FIELD_LABELS: Readonly<Record<ProposalField, string>> = {
  title: '标题',
  reason: '案由',
  suggestions: '具体建议',
};

const chars = (s: string): number => [...s.trim()].length;

/** Title without 关于 … 的建议 and punctuation, for comparing two titles. */
function coreTitle(title: string): string {
  return normalizeWidth(title)
    .replace(/[\s，。、；：！？,.;:!?「」『』《》"'“”‘’()（）]/g, '')
    .replace(/^关于/, '')
    .replace(/的?(建议|提案|意见建议|意见)$/, '');
}

const TITLE_FORM = /^关于.+的建议$/;

/**
 * The title in the form 「关于……的建议」 (R4): 「加快老旧小区加装电梯」 → 「关于加快老旧小区加装电梯的建议」,
 * 「关于……的提案」 → 「关于……的建议」. A title already in the form comes back unchanged (trimmed).
 */
export function suggestTitle(title: string): string {
  const t = title.trim().replace(/[。.!！?？；;]+$/u, '');
  if (TITLE_FORM.test(t)) return t;
  const core = t
    .replace(/^关于/, '')
    .replace(/^(建议|提议|请求|希望)/, '')
    .replace(/的?(建议|提案|意见建议|意见|思考|对策)$/, '')
    .replace(/的$/, '');
  return core === '' ? t : `关于${core}的建议`;
}

/** Suggestion items: one per line, or split at 1. / （一） / 一、 / ；. */
function suggestionItems(text: string): string[] {
  return text
    .split(
      /\n|；|;|(?=(?:^|\s)?(?:\d{1,2}[.、．)]|[（(][一二三四五六七八九十\d]{1,2}[)）]|[一二三四五六七八九十]{1,2}、))/u,
    )
    .map((s) =>
      s
        .replace(
          /^\s*(?:\d{1,2}[.、．)]|[（(][一二三四五六七八九十\d]{1,2}[)）]|[一二三四五六七八九十]{1,2}、)\s*/u,
          '',
        )
        .trim(),
    )
    .filter((s) => s !== '');
}

/** Wishes that are not suggestions: 「希望领导重视」「请有关部门研究解决」. */
const EMPTY_WISH =
  /^(?:(?:希望|恳请|请|建议|呼吁)(?:县委|县政府|政府|领导|有关部门|相关部门|上级)?(?:高度|尽快|进一步|认真)?(?:重视|关注|研究|解决|考虑|处理|支持)(?:一下|此事|此问题|这个问题|该问题|解决)?|无|没有|暂无|同上)$/u;

/** Verbs of something a unit can do; a suggestion with none of them is probably not actionable. */
const ACTION =
  /建立|健全|完善|制定|出台|设立|设置|增设|新建|修建|改建|扩建|改造|配备|配齐|增加|加大|提高|降低|减少|取消|简化|优化|推进|推行|推动|实施|实行|开展|组织|落实|统筹|整合|纳入|明确|规范|加强|强化|鼓励|支持|引导|引进|培训|培养|补贴|补助|投入|安排|试点|探索|划定|规划|整治|治理|清理|修订|公开|督促|督查|考核|将|由|把/u;

/** 一事一案 (R6): words joining two matters in a title. */
const JOINED = /以及|及其|及|和|与|并且|并|、|；|;/u;
/** Words where those characters do not join two matters. */
const JOIN_FALSE_FRIENDS =
  /和谐|和美|和平|和睦|温和|平和|综合|结合|配合|融合|整合|与时俱进|参与|给与|给予|及时|普及|涉及|以及时/gu;

interface Ground {
  field: ProposalField | 'any';
  pattern: RegExp;
  message: string;
}

/** 不予立案 grounds a text can reveal. Keyword screens: warnings, never errors. */
const GROUNDS: readonly Ground[] = [
  {
    field: 'any',
    pattern:
      /我家|我们家|我的(?:父亲|母亲|儿子|女儿|孩子|妻子|丈夫|爱人|亲戚|家人|家属|亲属|房子|工资|待遇|职称)|我(?:父亲|母亲|儿子|女儿|爱人|妻子|丈夫|亲戚|本人)|本人(?:的)?(?:待遇|工资|职称|编制|调动|住房|退休)|亲属|为本人|家属的/u,
    message:
      '内容似乎涉及本人或亲属的个人问题。按规定，为本人或亲属解决个人问题的不予立案；个人诉求可通过信访等渠道反映。',
  },
  {
    field: 'any',
    pattern:
      /品牌|牌子|产品推介|推介|推广(?:使用)?(?:本|我)|我公司|本公司|我单位的产品|有限公司|有限责任公司|股份公司|旗舰|®|™/u,
    message:
      '内容似乎点名了具体企业、品牌或产品。按规定，宣传、推介具体作品、产品的不予立案，请改为一般性表述。',
  },
  {
    field: 'any',
    pattern: /举报|检举|揭发|贪污|受贿|行贿|腐败|违纪|渎职|包庇|挪用|侵吞|作风问题/u,
    message: '内容似乎涉及对具体人员的举报。按规定，指明举报的不予立案；问题线索请向纪检监察机关反映。',
  },
  {
    field: 'any',
    pattern: /起诉|诉讼|法院|判决|裁定|仲裁|行政复议|上诉|开庭|官司|立案侦查/u,
    message: '内容似乎涉及诉讼、仲裁或行政复议中的事项。按规定，已进入诉讼、仲裁或复议程序的事项不予立案。',
  },
  {
    field: 'any',
    pattern: /涉密|机密|绝密|秘密文件|内部文件|内部资料/u,
    message: '内容似乎涉及涉密或内部资料。按规定，涉及党和国家秘密的不予立案，请删去相关内容。',
  },
];

/** Character bigrams of a text, for a rough similarity of two titles. */
function bigrams(s: string): Set<string> {
  const cs = [...s];
  const out = new Set<string>();
  for (let i = 0; i + 1 < cs.length; i++) out.add(`${cs[i]}${cs[i + 1]}`);
  return out;
}

function similarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (x.size === 0 || y.size === 0) return 0;
  let both = 0;
  for (const g of x) if (y.has(g)) both++;
  return both / (x.size + y.size - both);
}

/** Two titles at least this similar (bigram Jaccard of their cores) are flagged as a possible repeat. */
const NEAR_DUPLICATE = 0.6;

export function checkProposal(draft: ProposalDraft, earlierTitles: readonly string[]): ProposalCheck {
  const errors: CheckMessage[] = [];
  const warnings: CheckMessage[] = [];
  const title = draft.title.trim();
  const reason = draft.reason.trim();
  const suggestions = draft.suggestions.trim();

  for (const field of ['title', 'reason', 'suggestions'] as const) {
    const n = chars(draft[field]);
    const { min, max } = PROPOSAL_LIMITS[field];
    const label = FIELD_LABELS[field];
    if (n < min) errors.push({ field, message: `${label}太短：至少 ${min} 个字，目前 ${n} 个字。` });
    if (n > max) errors.push({ field, message: `${label}太长：最多 ${max} 个字，目前 ${n} 个字。` });
  }

  // R5 / ground 10: at least one concrete suggestion.
  const items = suggestionItems(suggestions);
  const real = items.filter((s) => !EMPTY_WISH.test(s.replace(/[。！!.]+$/u, '')) && chars(s) >= 6);
  const tooShort = errors.some((e) => e.field === 'suggestions');
  if (tooShort) {
    // the length message says enough
  } else if (real.length === 0) {
    errors.push({
      field: 'suggestions',
      message:
        '没有看到具体建议：请至少写一条可以落实的建议，说明由谁做什么（如「由县交通运输局在明年汛期前完成……」）。内容空泛、没有具体建议的提案不予立案。',
    });
  } else if (real.length > 0 && !real.some((s) => ACTION.test(s))) {
    warnings.push({
      field: 'suggestions',
      message: '建议似乎还不够具体，最好写明由哪个部门、采取什么措施、达到什么目标。',
    });
  }

  // R12: the member's own earlier proposals.
  const core = coreTitle(title);
  const same = earlierTitles.find((t) => coreTitle(t) === core && core !== '');
  if (same !== undefined) {
    errors.push({
      field: 'title',
      message: `您已提交过同题提案《${same}》，请勿重复提交；如需补充内容，请联系提案委员会。`,
    });
  } else {
    const near = earlierTitles.find((t) => similarity(coreTitle(t), core) >= NEAR_DUPLICATE);
    if (near !== undefined)
      warnings.push({
        field: 'title',
        message: `与您之前提交的提案《${near}》相近，请确认不是重复提交。`,
      });
  }

  // R4: 「关于……的建议」.
  if (title !== '' && !TITLE_FORM.test(title)) {
    warnings.push({
      field: 'title',
      message: `标题一般采用「关于……的建议」的形式，例如「${suggestTitle(title)}」。`,
    });
  }

  // R6: 一事一案.
  const joined = JOINED.test(core.replace(JOIN_FALSE_FRIENDS, ''));
  if (joined) {
    warnings.push({
      field: 'title',
      message: '提案应「一事一案」：标题似乎包含不止一件事，如果是几件事，建议分成几件提案分别提出。',
    });
  }

  // R11: 不予立案 grounds.
  const all = `${title}\n${reason}\n${suggestions}`;
  for (const g of GROUNDS) {
    if (g.pattern.test(all)) warnings.push({ field: firstField(draft, g.pattern), message: g.message });
  }

  // R7: advised length.
  const total = chars(reason) + chars(suggestions);
  if (total > PROPOSAL_LIMITS.advisedTotal) {
    warnings.push({
      field: 'reason',
      message: `正文共 ${total} 字，篇幅较长；提案以简明扼要为宜，一般 1000 字左右。`,
    });
  }

  return { errors, warnings };
}

function firstField(draft: ProposalDraft, pattern: RegExp): ProposalField {
  for (const f of ['title', 'reason', 'suggestions'] as const) if (pattern.test(draft[f])) return f;
  return 'reason';
}
