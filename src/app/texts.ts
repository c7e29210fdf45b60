/** User-facing wording of the channel layer. Conversation wording lives in flows/ once flows exist. */
export const texts = {
  notRegistered: (contact: string): string =>
    `您好！您的企业微信账号尚未登记在县政协委员名录中，暂时无法使用「协商」助手。\n如需开通，请联系${contact}。`,
  help: (name: string, contact: string): string =>
    [
      `${name}，您好！我是县政协「协商」助手。`,
      '我将陪您完成这些履职事务：',
      '· 写提案：逐项引导起草、检查并提交提案',
      '· 我的提案：查询提案办理进度',
      '· 会议通知：一键回复参加或请假',
      '· 社情民意：随时反映',
      '以上功能正在陆续开通，开通后直接发送相应文字即可使用。',
      `如有疑问，请联系${contact}。`,
    ].join('\n'),
  textOnly: '目前助手只能处理文字消息，请用文字告诉我您要办的事。发送「帮助」查看可以做什么。',
  processingFailed: (contact: string): string =>
    `抱歉，系统处理您的消息时出错，工作人员已收到记录。请稍后再试，或联系${contact}。`,
} as const;
