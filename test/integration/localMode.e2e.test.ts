import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signCallback, textXml } from '../fakes/wecomSigner.js';
import { waitFor } from './harness.js';
import { testOpenDatabase } from '../support/testDatabase.js';

/** `npm start` on a fresh machine: no settings at all. */
describe('local mode (no WeCom settings)', () => {
  let dataDir = '';
  let kill: (() => void) | undefined;
  afterEach(() => {
    kill?.();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with a banner, keeps replies in the local outbox, and logs no names or message text', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'xieshang-local-'));
    // Exactly the newcomer's command: it builds the JavaScript and runs it. Its own process group, so the kill
    // reaches the server below npm and sh.
    const child = spawn('npm', ['start'], {
      detached: true,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? tmpdir(),
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        POLL_INTERVAL_MS: '50',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const port = await waitFor(async () => /listening on :(\d+)/.exec(out)?.[1], 60_000, 'the banner');
    expect(out).toContain('LOCAL MODE');
    expect(out).toContain('npm run chat -- --as demo-weiyuan1');
    const url = `http://127.0.0.1:${port}`;

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    const credentials = JSON.parse(readFileSync(join(dataDir, 'local-wecom.json'), 'utf8')) as {
      corpId: string;
      token: string;
      encodingAesKey: string;
      agentId: number;
    };
    const canary = '金丝雀内容甲乙丙';
    const xml = textXml({
      corpId: credentials.corpId,
      from: 'demo-weiyuan1',
      content: canary,
      msgId: '7000000000000000001',
      createTime: Math.floor(Date.now() / 1000),
      agentId: credentials.agentId,
    });
    const s = signCallback({ credentials, plaintext: xml });
    expect((await fetch(`${url}/wecom/callback?${s.query}`, { method: 'POST', body: s.body })).status).toBe(
      200,
    );

    const db = await testOpenDatabase({ kind: 'sqlite', file: join(dataDir, 'xieshang.sqlite') });
    try {
      const item = await waitFor(
        async () => (await db.outbox.listForUser('demo-weiyuan1', 0, 10)).find((m) => m.status === 'sent'),
        10_000,
        'a reply in the local outbox',
      );
      expect(item.wecomMsgId).toBeNull();
    } finally {
      await db.close();
    }
    // PII: the member's name and what they wrote never reach the logs at info level.
    expect(out).not.toContain(canary);
    expect(out).not.toContain('演示委员甲');

    // npm run chat: typed lines go in as encrypted callbacks; the replies are printed.
    const chat = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/chat.ts', '--as', 'demo-weiyuan2', '--url', url],
      {
        env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let chatOut = '';
    chat.stdout.on('data', (c: Buffer) => (chatOut += c.toString()));
    chat.stderr.on('data', (c: Buffer) => (chatOut += c.toString()));
    chat.stdin.end('写提案\n关于加快老旧小区加装电梯的建议\n/quit\n');
    const code = await new Promise<number | null>((resolve) => chat.on('exit', resolve));
    expect(chatOut).toContain('第 1 步');
    expect(chatOut).toContain('第 2 步');
    expect(code).toBe(0);
  }, 120_000);
});
