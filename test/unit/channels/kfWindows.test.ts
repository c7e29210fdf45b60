import { describe, expect, it } from 'vitest';
import {
  checkWindow,
  KF_OVERLAP_MS,
  KF_WINDOW_MS,
  KF_WINDOW_SAFETY_MS,
} from '../../../src/channels/wecomKf/kfWindows.js';
import type { KfWindow } from '../../../src/channels/wecomKf/ports.js';
import { kfParts, splitBytes } from '../../../src/channels/wecomKf/kfParts.js';

const last = new Date('2026-12-01T02:00:00Z');
const at = (ms: number): Date => new Date(last.getTime() + ms);
function window(sends: number[], lastCustomerAt: Date | null = last): KfWindow {
  return {
    openKfid: 'wk1',
    externalUserid: 'wm1',
    lastCustomerAt,
    sends,
    welcomeCode: null,
    welcomeCodeAt: null,
    version: 0,
    updatedAt: last,
  };
}

describe('the 48 h / 5-message rule of 微信客服', () => {
  it('allows 5 messages after the citizen writes, and refuses the 6th with 95001', () => {
    const sends = [1, 2, 3, 4].map((i) => at(i * 1000).getTime());
    expect(checkWindow(window(sends), at(10_000))).toEqual({ ok: true });
    expect(checkWindow(window([...sends, at(5000).getTime()]), at(10_000))).toMatchObject({
      ok: false,
      errcode: 95001,
    });
  });

  it('refuses a late message with 95002, with a safety margin before the 48 h end', () => {
    expect(checkWindow(window([]), at(KF_WINDOW_MS - KF_WINDOW_SAFETY_MS - 1))).toEqual({ ok: true });
    expect(checkWindow(window([]), at(KF_WINDOW_MS - KF_WINDOW_SAFETY_MS))).toMatchObject({
      ok: false,
      errcode: 95002,
    });
    expect(checkWindow(window([]), at(KF_WINDOW_MS + 1))).toMatchObject({ ok: false, errcode: 95002 });
  });

  it('refuses when the citizen never wrote (entered only, or unknown)', () => {
    expect(checkWindow(null, last)).toMatchObject({ ok: false, errcode: 95002 });
    expect(checkWindow(window([], null), last)).toMatchObject({ ok: false, errcode: 95002 });
  });

  it('counts sends of the previous window only when WeCom answered them just before the new message', () => {
    const old = [at(-KF_OVERLAP_MS - 10_000), at(-KF_OVERLAP_MS - 5000)].map((d) => d.getTime());
    const recent = [at(0), at(-50), at(-100), at(-150), at(-200)].map((d) => d.getTime());
    expect(checkWindow(window([...old, ...old, ...old]), at(1000))).toEqual({ ok: true });
    // Sent within the overlap before the citizen's message: they may reach WeCom after it, so they count.
    expect(checkWindow(window(recent), at(1000))).toMatchObject({ ok: false, errcode: 95001 });
  });
});

describe('kf message parts', () => {
  it('splits long texts within 2048 bytes, at line ends when it can', () => {
    const line = '一二三四五六七八九十'.repeat(10); // 300 bytes
    const long = Array.from({ length: 20 }, () => line).join('\n');
    const parts = splitBytes(long, 2048);
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(2048);
    expect(parts.join('\n')).toBe(long);
    const noBreaks = '长'.repeat(3000);
    expect(splitBytes(noBreaks, 2048).join('')).toBe(noBreaks);
  });

  it('sends a choice question as one msgmenu (head, click items, tail)', () => {
    const parts = kfParts({
      msgtype: 'text',
      text: { content: '您最关心哪一项？\n1. 教育\n2. 养老' },
      menu: {
        head: '您最关心哪一项？',
        options: [
          { id: 'edu', label: '教育' },
          { id: 'old', label: '养老' },
        ],
        tail: '',
      },
    });
    expect(parts).toEqual([
      {
        msgtype: 'msgmenu',
        msgmenu: {
          head_content: '您最关心哪一项？',
          list: [
            { type: 'click', click: { id: 'edu', content: '教育' } },
            { type: 'click', click: { id: 'old', content: '养老' } },
          ],
        },
      },
    ]);
  });

  it('puts a head too long for a menu (1024 bytes) in a text before the menu', () => {
    const head = '说明'.repeat(300); // 1800 bytes
    const parts = kfParts({
      msgtype: 'text',
      text: { content: `${head}\n1. 是\n2. 否` },
      menu: {
        head,
        options: [
          { id: 'y', label: '是' },
          { id: 'n', label: '否' },
        ],
        tail: '',
      },
    });
    expect(parts?.map((p) => p.msgtype)).toEqual(['text', 'msgmenu']);
  });

  it('sends plain text for more than 10 options, and refuses template cards', () => {
    const options = Array.from({ length: 11 }, (_, i) => ({ id: String(i), label: `选项${i}` }));
    expect(
      kfParts({ msgtype: 'text', text: { content: 'x' }, menu: { head: 'x', options, tail: '' } }),
    ).toEqual([{ msgtype: 'text', text: { content: 'x' } }]);
    expect(kfParts({ msgtype: 'template_card', template_card: { card_type: 'text_notice' } })).toBeNull();
  });
});
