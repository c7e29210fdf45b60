/**
 * The one normaliser for short answers typed on a phone: every parser (choice, multi, number, date, time, confirm,
 * commands, triggers) compares texts through `normalizeText`, on both sides (the typed answer and the word list),
 * so a word list may be written naturally (「不用了」) and still match 「不用」「不用了。」「不用了吧」.
 *
 * Steps, each for a reason:
 * - NFKC: full-width digits, letters, punctuation and the ideographic space become ASCII (２ → 2, ： → :, Ｏｋ → Ok).
 * - the Chinese punctuation NFKC leaves alone (。、～…) is mapped to ASCII too, so patterns need one form only;
 * - lower case: ok / OK / Ok;
 * - whitespace collapsed and trimmed;
 * - trailing punctuation and decorating particles (吧 啊 呀 呢 哈 嘛 哦 的 了 啦) dropped, repeatedly: 「好的吧！」 → 「好」.
 *   A particle is only dropped when something is left, so 「了」 alone stays 「了」.
 * Free text (an ask step's answer) is never normalised: it is stored as typed.
 */

const CJK_PUNCTUATION: Readonly<Record<string, string>> = {
  '。': '.',
  '、': ',',
  '～': '~',
  '…': '...',
  '【': '[',
  '】': ']',
  '“': '"',
  '”': '"',
  '‘': "'",
  '’': "'",
};

const TRAILING_PUNCTUATION = /[.,!?~;:'"…]+$/u;
const TRAILING_FILLER = /[吧啊呀呢哈嘛哦啦的了]$/u;

/** Width, case, spaces and Chinese punctuation only: for names and labels that must not lose a character. */
export function normalizeWidth(text: string): string {
  return [...text.normalize('NFKC')]
    .map((c) => CJK_PUNCTUATION[c] ?? c)
    .join('')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** `normalizeWidth`, then trailing punctuation and decorating particles dropped (see the file comment). */
export function normalizeText(text: string): string {
  let t = normalizeWidth(text);
  for (;;) {
    const stripped = t.replace(TRAILING_PUNCTUATION, '').trimEnd();
    const next =
      stripped !== '' && TRAILING_FILLER.test(stripped) && stripped.length > 1
        ? stripped.slice(0, -1)
        : stripped;
    if (next === t || next === '') return t;
    t = next;
  }
}

/** The clauses of a compound answer: 「没问题，提交吧」 → ['没问题', '提交'] (each normalised; empties dropped). */
export function clauses(text: string): string[] {
  return normalizeWidth(text)
    .split(/[.,!?;~]+|\s+/u)
    .map(normalizeText)
    .filter((s) => s !== '');
}
