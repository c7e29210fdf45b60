import { normalizeWidth } from '../flows/normalize.js';
/**
 * What the form of a message says, beyond its words. `howTo`: asking how something is done or what it requires
 * (怎么请假, 提案有什么要求) — an FAQ answers that, not the action of the same topic. `question`: a question
 * (吗, ？, 能不能, a final 不: 去不) — never an answer to a notice or an invitation (「能参加吗」 is not 参加). 怎么样 / 咋样 ask how
 * something stands (提案办得怎么样了), which is the status query, not a how-to.
 */
export interface QuestionCues {
  howTo: boolean;
  question: boolean;
}

const HOW_TO =
  /怎么(?!样)|怎样(?!了)|如何|咋(?!样|回事)|要不要|什么要求|啥要求|哪些要求|有要求|需要注意|注意什么|注意啥|写法|流程|手续|格式|模板|哪些内容|哪几部分|不知道怎/;
const QUESTION = /[吗么?]|能不能|可不可以|是不是|有没有|要不要|[去来在好行]不$/;

export function questionCues(text: string): QuestionCues {
  const t = normalizeWidth(text);
  return { howTo: HOW_TO.test(t), question: QUESTION.test(t) };
}
