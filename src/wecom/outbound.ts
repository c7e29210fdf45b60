/**
 * Bodies of WeCom `message/send` (doc 90236) that the app produces, without `touser` / `agentid`,
 * which the sender adds. Text and markdown content are at most `TEXT_MAX_BYTES` (limits.ts).
 */
export type OutboundMessage =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'textcard'; textcard: { title: string; description: string; url: string; btntxt?: string } }
  | {
      msgtype: 'template_card';
      template_card: { card_type: string; task_id?: string } & Record<string, unknown>;
    };
