/**
 * Bodies of WeCom `message/send` (doc 90236) that the app produces, without `touser` / `agentid`,
 * which the sender adds. Text and markdown content are at most `TEXT_MAX_BYTES` (limits.ts).
 */
export type OutboundMessage =
  | { msgtype: 'text'; text: { content: string }; menu?: ChoiceMenu }
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'textcard'; textcard: { title: string; description: string; url: string; btntxt?: string } }
  | {
      msgtype: 'template_card';
      template_card: { card_type: string; task_id?: string } & Record<string, unknown>;
    };

/**
 * A choice question at the end of a text, for channels that can show it as a menu (微信客服 msgmenu). Not part of
 * the message/send body (the app channel sends `content`, which lists the options as numbered lines):
 * `content` = `head` + the numbered options + `tail`.
 */
export interface ChoiceMenu {
  head: string;
  /** `id`: what a tap answers (the option's value); `label`: what the person reads. */
  options: { id: string; label: string }[];
  tail: string;
}
