import { formatShanghaiDate } from '../shared/chinaTime.js';

/** User-facing wording of the channel layer; what the assistant can do is in flows/help.yaml. */
export const texts = {
  notRegistered: (contact: string): string =>
    `您好！您的企业微信账号尚未登记在县政协委员名录中，暂时无法使用「协商」助手。\n如需开通，请联系${contact}。`,
  textOnlyInFlow: '目前助手只能处理文字消息，请用文字回答。',
  textOnly: '目前助手只能处理文字消息，请用文字告诉我您要办的事。发送「帮助」查看可以做什么。',
  processingFailed: (contact: string): string =>
    `抱歉，系统处理您的消息时出错，工作人员已收到记录。请稍后再试，或联系${contact}。`,
  /**
   * A citizen (微信客服) with nothing open: what they can do here (the public flows by keyword, what features list for
   * them, e.g. the open surveys), and that member services are not for them.
   */
  citizenHelp: (
    contact: string,
    can: readonly string[],
    listed: readonly string[],
    linkEnded = false,
  ): string =>
    [
      linkEnded ? `您好！${texts.linkEnded}` : '您好！这里是县政协民意征集服务，您的意见会直接送达政协。',
      ...listed,
      ...(can.length > 0 ? [listed.length > 0 ? '您也可以：' : '您可以：', ...can] : []),
      ...(listed.length === 0 ? ['政协开展民意征集时，扫描海报上的二维码或点击征集链接即可参与。'] : []),
      `写提案、会议通知等功能仅面向政协委员。其他事项请联系${contact}。`,
    ].join('\n'),
  /** The citizens' help as a 微信客服 menu: what to tap (open surveys, 留言反映问题) between these. */
  citizenMenu: (contact: string, surveys: number, linkEnded: boolean): { head: string; tail: string } => ({
    head: [
      linkEnded ? `您好！${texts.linkEnded}` : '您好！这里是县政协民意征集服务，您的意见会直接送达政协。',
      surveys > 0
        ? '请点击下方选项参与正在征集意见的问卷，或给政协留言：'
        : '目前没有正在征集意见的问卷。您可以点击下方选项：',
    ].join('\n'),
    tail: `写提案、会议通知等功能仅面向政协委员。其他事项请联系${contact}。`,
  }),
  linkEnded: '您扫描的问卷已结束或不存在。',
  citizenTextOnly: '目前只能处理文字消息，请用文字回复。',
} as const;

/** Wording of the conversation runtime (what is not in a flow file). */
export const conversationTexts = {
  expired: (kept: boolean): string =>
    kept ? '您上次的填写已超时，内容已保存为草稿。发送「写提案」可以继续。' : '您上次的对话已超时结束。',
  draftList: (drafts: readonly { title: string | null; updatedAt: Date; note?: string }[]): string =>
    [
      `您有 ${drafts.length} 份未完成的提案草稿：`,
      ...drafts.map(
        (d, i) =>
          `${i + 1}. ${d.title ? `《${d.title}》` : '（未填标题）'}（${d.note ?? `保存于 ${formatShanghaiDate(d.updatedAt)}`}）`,
      ),
      drafts.length === 1
        ? '回复「继续」接着填写；回复「重新开始」新写一件；回复「放弃」删除这份草稿；回复「取消」退出。'
        : '回复序号（如「继续 1」）接着填写；回复「重新开始」新写一件；回复「放弃 序号」删除草稿；回复「取消」退出。',
    ].join('\n'),
  nothingToCancel: '好的。当前没有正在办理的事项；需要时发送「帮助」查看可以做什么。',
  menuUnavailable: '该菜单功能暂未开放或您没有使用权限。发送「帮助」查看可以做什么。',
  draftPickCancelled: '好的，草稿仍为您保留。',
  draftAbandoned: '该草稿已删除。',
  confirmAbandon: (title: string | null): string =>
    `确定放弃草稿${title ? `《${title}》` : '（未填标题）'}吗？放弃后不能恢复。回复「确定」删除，回复「取消」保留。`,
  abandonKept: '好的，草稿仍为您保留。',
  /** 取消 (or too many bad answers) before anything was filled in: there is no draft to speak of. */
  nothingKept: (keyword: string | undefined): string =>
    `好的，已退出。还没有填写内容，所以没有保存草稿。${keyword ? `需要时发送「${keyword}」即可。` : ''}`,
  /** An answer arriving after the idle timeout: the draft was kept, and the answer goes to the open question. */
  expiredResumed: '您上次的填写已超时，内容已保存为草稿；这次的回复接着用在刚才的问题上：',
  flowGone: '抱歉，这项服务的流程已调整，本次对话已结束，您填写的内容已保存为草稿。请重新发送指令开始。',
} as const;

/** 2026-12-01 in China time. Kept under this name for runEffect; shared/chinaTime.ts owns it. */
