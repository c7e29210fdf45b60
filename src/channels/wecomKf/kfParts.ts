import { assertNever } from '../../shared/errors.js';
import type { OutboundMessage } from '../../wecom/outbound.js';
import type { KfOutbound } from '../../wecom/api/kf.js';

/** kf limits (doc 94677): text ≤ 2048 bytes; msgmenu head and tail ≤ 1024 bytes each, ≤ 10 items. */
export const KF_TEXT_MAX_BYTES = 2048;
export const KF_MENU_TEXT_MAX_BYTES = 1024;
export const KF_MENU_MAX_ITEMS = 10;

/**
 * One outbox message as the kf messages that carry it, as few as possible (each counts against the citizen's 5):
 * a text split within 2048 bytes (at line ends when it can), a choice question as a msgmenu. Null when kf cannot
 * carry the message at all (a WeCom template card).
 */
export function kfParts(message: OutboundMessage): KfOutbound[] | null {
  switch (message.msgtype) {
    case 'text': {
      const menu = message.menu;
      if (!menu || menu.options.length === 0 || menu.options.length > KF_MENU_MAX_ITEMS)
        return texts(message.text.content);
      const heads = splitBytes(menu.head, KF_TEXT_MAX_BYTES);
      const last = heads.pop() ?? '';
      const before = texts(heads.join('\n'));
      const fits = Buffer.byteLength(last) <= KF_MENU_TEXT_MAX_BYTES;
      const tail = splitBytes(menu.tail, KF_MENU_TEXT_MAX_BYTES);
      return [
        ...before,
        ...(fits ? [] : texts(last)),
        {
          msgtype: 'msgmenu',
          msgmenu: {
            ...(fits && last !== '' ? { head_content: last } : {}),
            list: menu.options.map((o) => ({
              type: 'click' as const,
              click: { id: o.id, content: o.label },
            })),
            ...(tail[0] ? { tail_content: tail[0] } : {}),
          },
        },
        ...texts(tail.slice(1).join('\n')),
      ];
    }
    case 'markdown':
      return texts(message.markdown.content);
    case 'textcard':
      return texts(`${message.textcard.title}\n${message.textcard.description}`);
    case 'template_card':
      return null;
    default:
      return assertNever(message, 'outbound message');
  }
}

function texts(content: string): KfOutbound[] {
  return splitBytes(content, KF_TEXT_MAX_BYTES).map((c) => ({ msgtype: 'text', text: { content: c } }));
}

/** Splits at line ends where possible, else at a character boundary, so every piece is ≤ `max` UTF-8 bytes. */
export function splitBytes(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text.trim();
  while (rest !== '') {
    if (Buffer.byteLength(rest) <= max) {
      out.push(rest);
      break;
    }
    let cut = 0;
    let bytes = 0;
    for (const ch of rest) {
      const b = Buffer.byteLength(ch);
      if (bytes + b > max) break;
      bytes += b;
      cut += ch.length;
    }
    const newline = rest.lastIndexOf('\n', cut);
    const at = newline > cut / 2 ? newline : cut;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  return out;
}
