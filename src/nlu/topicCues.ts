import { normalizeUtterance } from './normalizeUtterance.js';
/**
 * What a message is about, read from the words that decide it, beyond how alike it is to the examples. Short
 * everyday forms (肯定去, 来不了, 哈喽) share too few characters with any example to score on their own, and one
 * shared verb can pull a message to the wrong topic (写个通知 is close to 写个提案). Each cue names the intent it
 * is evidence for (by id; an id the running server does not have is ignored) and the score it is worth at least.
 */
interface Cue {
  intent: string;
  when: RegExp;
  /** The cue does not hold when this matches too (a status word in a question about a deadline). */
  unless?: RegExp;
  floor: number;
  /** Rivals the cue speaks against (来不了 is not 参加), their score halved. */
  against?: readonly string[];
}

/** A negation of the whole message: the cues for an action do not hold for it. 去不 / 在不 at the end ask. */
const NEGATED = /不(?!好意思|错|$)|没(?!问题)|无法|缺席/;
const HOW = /怎么|怎样|如何|咋|手续|流程|步骤|办法/;
const STATUS_WORDS = /办理|办到|办得|办了|答复|结果|立案|回复|进度|进展|到哪|哪一步|怎么样/;

const STRONG = 0.45;

const CUES: readonly Cue[] = [
  // Greetings and "what can you do": the help answer.
  {
    intent: 'help',
    when: /^(哈喽|哈啰|哈罗|嗨|嘿|喂|hi|hello|hey|在不|在不在|在么|在嘛|有人吗|有人在吗)$/,
    floor: 0.5,
  },
  {
    intent: 'help',
    when: /(你|您|助手|这个|这)[^提通]{0,3}(会|能|可以)[^提通]{0,2}(啥|什么|干嘛|干什么)|干嘛用|干啥用|做什么用|怎么用|咋用|不会用|怎么使用/,
    floor: STRONG,
    against: ['faq.contact'],
  },
  // A proposal to write: a verb of making, then 提案 / 案子 (就教育问题提个提案, 想新提一个案子).
  {
    intent: 'proposal',
    when: /(写|提|交|起草|拟)(一|个|份|件|篇|新|再)*(提案|案子)|(写|提|交|起草|拟)(一|个|份|件|篇)+(关于|有关).{0,8}(提案|案子)|想.{0,3}(写|提|交|起草).{0,2}(提案|案子)/,
    unless: new RegExp(`${STATUS_WORDS.source}|${HOW.source}|截止|过期|什么时候|几时|[吗?？]|还能|写法|要求`),
    floor: STRONG,
    against: ['proposal_status', 'faq.deadline'],
  },
  // Writing it now, whatever else the message asks (「…咋弄，我现在要写」): the flow answers the how as it goes.
  {
    intent: 'proposal',
    when: /(现在|马上|这就|立刻)就?(想|要|来)?(写|交|提交|起草)|提案.{0,4}(我|我们)(想|要|准备|来)(现在)?(写|提|交|起草)/,
    unless: new RegExp(`${STATUS_WORDS.source}|通知|截止|过期|来得及|还能|还可以|[吗?？]`),
    floor: 0.5,
    against: ['proposal_status', 'faq.deadline', 'faq.write_howto'],
  },
  // The state of one's 社情民意 (采用了没有, 到哪一步了): not a proposal's, not a new report.
  {
    intent: 'sentiment_mine',
    when: /(社情民意|民情).{0,8}(采用|审核|审了|通过|结果|到哪|哪一步|进度|进展|怎么样|批示|退回)|我的社情民意/,
    unless: /怎么写|写法|统计|采用率|多少/,
    floor: STRONG,
    against: ['proposal_status', 'sentiment'],
  },
  // The state of a proposal: looking one up, or a number (第003号, 3号提案).
  {
    intent: 'proposal_status',
    when: /(查|看)(下|一下|看|一看|查)?(我的|我)?提案|我.{0,6}的.{0,2}提案|提案(在哪|呢$)|第\s*\d+\s*号|\d+\s*号提案|提案.{0,4}(到哪|进度|结果|有没有立案|立案了|出来没|咋样|怎么样)/,
    unless: /怎么写|写法|截止|过期|想|要写|要交|为啥|为什么|原因/,
    floor: STRONG,
    against: ['proposal', 'faq.not_filed', 'faq.deadline'],
  },
  // How to write one: the form, the requirements, the parts.
  {
    intent: 'faq.write_howto',
    when: /提案.{0,6}(怎么|如何|咋)(写|起|弄|拟|定|措辞|表述)|提案.{0,6}(咋写|如何写|写法|怎么弄|咋弄|要求|注意|格式|模板|部分|包括|写什么|写啥|哪些内容|什么内容)|(怎么|如何|咋)写提案|不会写|不知道.{0,4}怎么写/,
    floor: STRONG,
    against: ['proposal', 'proposal_status', 'faq.leave_howto'],
  },
  // When proposals are due, and whether a late one is still taken.
  {
    intent: 'faq.deadline',
    when: /截止|过期|期限|最迟|逾期|来得及|还能交|还能提交|还收|(提案|交).{0,6}(几时|什么时候|啥时候|何时|几号|几月|晚了)|(几时|什么时候|啥时候|何时|几号|几月).{0,6}(提案|交)/,
    unless: new RegExp(`${STATUS_WORDS.source}|通知|开会|会议|请假`),
    floor: STRONG,
    against: ['proposal'],
  },
  // Why a proposal was not filed (没立案, but not 有没有立案, which asks its status).
  {
    intent: 'faq.not_filed',
    when: /(?<!有)没.{0,2}立案|不予?立案|未立案|没被立案/,
    floor: STRONG,
    against: ['proposal_status'],
  },
  // Whom to ask.
  {
    intent: 'faq.contact',
    when: /找谁|问谁|联系谁|联系方式|联系电话|电话是|电话多少|咨询电话|人工|客服/,
    unless: /请假/,
    floor: STRONG,
    against: ['faq.leave_howto'],
  },
  // How to ask for leave.
  {
    intent: 'faq.leave_howto',
    when: /(怎么|怎样|如何|咋|咋个).{0,2}请假|请假.{0,3}(怎么|怎样|如何|咋|手续|流程|步骤|找谁|找哪|是不是要|要不要|需不需要|需要|提前)|不会请假/,
    floor: STRONG,
    against: ['notice.textAnswer:请假'],
  },
  // Attending, in its everyday future forms (我会去的, 肯定去, 好，我去, 能来).
  {
    intent: 'notice.textAnswer:参加',
    when: /^(好|好的|嗯|行|收到)?(我|我们)?(会|肯定|一定|准时|按时|能|可以|要)*(会|肯定|一定|准时|按时|能|可以|我)(去|来|到)(的|啊|哈)?$/,
    unless: NEGATED,
    floor: STRONG,
    against: ['notice.textAnswer:请假'],
  },
  // Not attending: 来不了, 没办法参加, 缺席.
  {
    intent: 'notice.textAnswer:请假',
    when: /(来|去|到|参加|出席|赶)不(了|上|到|回来)|没(办法|法)(来|去|到|参加|出席|参会)|不能(来|去|到|参加|出席|参会)|无法(来|去|到|参加|出席|参会)|缺席/,
    unless: /联名|提案|怎么|如何|咋/,
    floor: STRONG,
    against: ['notice.textAnswer:参加', 'faq.leave_howto'],
  },
  // 请假 said with its reason (那天在省里开会，请假): the request, not how it is done.
  {
    intent: 'notice.textAnswer:请假',
    when: /^请假|请假$/,
    unless: /怎么|怎样|如何|咋|不会|手续|流程|步骤|找谁|问谁|哪个|需要|提前|多久|[吗么?？]|联名|提案/,
    floor: STRONG,
    against: ['faq.leave_howto'],
  },
  // Declining a co-signature in everyday words (这个联名我就不参加了).
  {
    intent: 'proposal.cosign:不同意联名',
    when: /联名.*(不|没|拒绝|算了)|(不|没|拒绝).*联名/,
    unless: /(?<!不)同意|可以联名|(?<!不)愿意|怎么|如何|[吗?？]/,
    floor: STRONG,
    against: ['notice.textAnswer:请假', 'proposal.cosign:同意联名'],
  },
  // A notice to write (写个通知, 起草通知): 通知 decides it, not the verb it shares with 写提案.
  {
    intent: 'notice_compose',
    when: /(写|起草|拟|发|编|做|出|弄)(一|个|份|条|篇|下)*(会议|开会的?)?通知/,
    unless: /提案|统计|提醒/,
    floor: STRONG,
    against: ['proposal'],
  },
  // Who answered a notice, how many come.
  {
    intent: 'notice_stats',
    when: /谁(还)?(没|未)(回|回复|回执|报名)|多少人.{0,2}(参会|参加|报名|来|回复)|几个人.{0,2}(参会|参加|报名|来)/,
    floor: STRONG,
    against: ['notice.textAnswer:参加'],
  },
  // A reminder to those who have not answered.
  {
    intent: 'notice_remind',
    when: /催(一下|下|催)?|再提醒|提醒(一下|下)?(没|未|还没)/,
    floor: STRONG,
  },
  // Co-signing in everyday forms (可以联名).
  {
    intent: 'proposal.cosign:同意联名',
    when: /(可以|愿意|同意|好的?|行)联名/,
    unless: NEGATED,
    floor: STRONG,
  },
  // The proposal lifecycle: an action on a proposal is not a question about its state (撤回, 评价, 统计, 审, 交办 …).
  // Each intent is offered only to its role (staff, unit contacts, proposers); the cues only say what the words are.
  {
    intent: 'proposal_withdraw',
    when: /(撤回|撤销|撤案|撤下)/,
    unless: HOW,
    floor: 0.5,
    against: ['proposal_status'],
  },
  {
    intent: 'proposal_evaluate',
    when: /评价|评个价|打分|打个分|(对|这个|这份)?答复.{0,3}(很|非常|不太|不)?满意|满意.{0,2}答复/,
    unless: /满意率|统计/,
    floor: 0.5,
    against: ['proposal_status'],
  },
  {
    intent: 'proposal_stats',
    when: /(立案|办复|满意|办结)率|提案.{0,6}(统计|汇总|总数|多少件|数据)|(统计|汇总).{0,6}提案|各(个)?单位.{0,6}(办理|提案)/,
    unless: /回执|通知|参会|报名/,
    floor: 0.5,
    against: ['proposal_status', 'notice_stats'],
  },
  {
    intent: 'proposal_review',
    when: /(要|待|需要)审(查|核)?的?提案|审(查|一下|一审)?.{0,3}(新)?提案|新(来|交|提交)的提案|没立案的提案|提案.{0,2}(审查|要审)/,
    unless: /答复|怎么|如何/,
    floor: 0.5,
    against: ['proposal_status', 'faq.not_filed'],
  },
  {
    intent: 'proposal_assign',
    when: /交办|(安排|定|分配).{0,4}承办单位|(该|要|应该)交给哪个单位/,
    unless: /怎么|如何|我的|我那|了吗|了没|没有/,
    floor: 0.5,
    against: ['proposal_status'],
  },
  {
    intent: 'proposal_reply_review',
    when: /(审|审核|审查|看看).{0,4}(单位的|交上来的)?答复|答复.{0,4}(审核|要审|审一下)/,
    floor: 0.5,
    against: ['proposal_status'],
  },
  {
    intent: 'unit_reply',
    when: /(提交|上报|报送|交).{0,4}答复|答复.{0,3}(写好|提交|上报)|要答复|答复提案/,
    unless: /审/,
    floor: 0.5,
    against: ['proposal_status'],
  },
  {
    intent: 'unit_todo',
    when: /待办|要(我们|本单位)办|(哪些|什么).{0,4}提案.{0,3}(没办|要办|待办)/,
    floor: 0.5,
  },
  {
    intent: 'proposal_return_decide',
    when: /退回申请|申请退回|不归(他们|它|该单位)/,
    floor: 0.5,
  },
  {
    intent: 'unit_return',
    when: /申请退回|不(是|归)我们|不属于我们|交错|退回去/,
    floor: 0.5,
  },
];

/** Every intent id the cues name (as evidence or as a rival); a test keeps them in step with the shipped flows. */
export const CUE_INTENT_IDS: readonly string[] = [
  ...new Set(CUES.flatMap((c) => [c.intent, ...(c.against ?? [])])),
];

/** The topic words: a message naming one topic only is not about the other (写个通知 is no proposal). */
const PROPOSAL_TOPIC = /提案|案子|联名|立案/;
const NOTICE_TOPIC = /通知|会议|开会|参会|请假|会务/;
const PROPOSAL_INTENT = /^(proposal|faq\.(write_howto|deadline|not_filed))/;
const NOTICE_INTENT = /^(notice|faq\.leave_howto)/;

export interface TopicReading {
  /** Intents the message is evidence for, with the score each is worth at least. */
  floors: ReadonlyMap<string, number>;
  /** Factor on an intent's score: below 1 for an intent of a topic the message does not name. */
  factor(intentId: string): number;
}

export function topicCues(text: string): TopicReading {
  const t = normalizeUtterance(text);
  const floors = new Map<string, number>();
  // An intent a cue speaks against, by the strongest such cue: it loses unless its own cue is stronger still.
  const against = new Map<string, number>();
  for (const c of CUES) {
    if (!c.when.test(t) || c.unless?.test(t)) continue;
    if (c.floor > (floors.get(c.intent) ?? 0)) floors.set(c.intent, c.floor);
    for (const a of c.against ?? []) against.set(a, Math.max(c.floor, against.get(a) ?? 0));
  }
  const proposal = PROPOSAL_TOPIC.test(t);
  const notice = NOTICE_TOPIC.test(t);
  return {
    floors,
    factor(id) {
      let f = (against.get(id) ?? 0) > (floors.get(id) ?? 0) ? 0.5 : 1;
      if (proposal && !notice && NOTICE_INTENT.test(id)) f *= 0.5;
      if (notice && !proposal && PROPOSAL_INTENT.test(id)) f *= 0.5;
      return f;
    },
  };
}
