import { assertNever } from '../shared/errors.js';
/**
 * npm run chat -- --as <userid> [--url http://127.0.0.1:3000]
 * npm run chat -- --as-citizen <id> [--scene <scene>]
 * A terminal chat with the running server: each line typed goes in as a real signed, encrypted callback, and the
 * bot's replies are printed as they reach the outbox (read from the same database the server uses). A citizen
 * (微信客服) has no callback of their own: their session start and messages go into the inbox exactly as the
 * puller stores what kf/sync_msg returns.
 */
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ConfigError, loadConfig } from '../config/config.js';
import { readLocalCredentials } from '../channels/wecomApp/localCredentials.js';
import { openDatabase } from '../store/openStores.js';
import { createRegistry } from '../core/registry.js';
import { createFeatures } from '../features/index.js';
import { signCallback, textXml } from '../wecom/simulate.js';
import { createKfGuard, LOCAL_OPEN_KFID, storeKfMessages, type KfGuard } from '../channels/wecomKf/index.js';
import { createMemoryKeyValueStore } from '../store/memory/memoryKeyValueStore.js';
import type { Database } from '../core/ports.js';
import type { KfSyncedMessage } from '../wecom/api/kf.js';
import type { OutboxItem } from '../core/ports.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function render(item: OutboxItem): string {
  const m = item.message;
  switch (m.msgtype) {
    case 'text':
      return m.menu
        ? `${m.text.content}\n（菜单：${m.menu.options.map((o) => `[${o.label}]`).join(' ')}）`
        : m.text.content;
    case 'markdown':
      return m.markdown.content;
    case 'textcard':
      return `[卡片] ${m.textcard.title}\n${m.textcard.description}`;
    case 'template_card':
      return renderCard(m.template_card);
    default:
      return assertNever(m, 'm');
  }
}

/** A template card as a member would read it; its buttons are answered here by typing their text. */
function renderCard(card: Record<string, unknown>): string {
  const obj = (v: unknown): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(obj) : []);
  const main = obj(card.main_title);
  const lines = [`[卡片] ${String(main.title ?? '')}${main.desc ? `（${String(main.desc)}）` : ''}`];
  if (typeof card.sub_title_text === 'string') lines.push(card.sub_title_text);
  for (const row of list(card.horizontal_content_list))
    lines.push(`${String(row.keyname)}：${String(row.value)}`);
  const buttons = list(card.button_list).map((b) => String(b.text));
  if (buttons.length > 0)
    lines.push(`按钮：${buttons.map((b) => `[${b}]`).join(' ')}（在此回复按钮上的字即可）`);
  return lines.join('\n');
}

async function main(): Promise<number> {
  const citizen = arg('as-citizen');
  const as = citizen ?? arg('as');
  if (!as) {
    console.error(
      '用法：npm run chat -- --as <userid> [--url http://127.0.0.1:3000]\n      npm run chat -- --as-citizen <id> [--scene <scene>]',
    );
    return 2;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  const credentials = config.wecom ?? readLocalCredentials(config.dataDir);
  if (!credentials) {
    console.error(`找不到本地模式的开发凭据（${config.dataDir}/local-wecom.json）。请先运行 npm start。`);
    return 1;
  }
  const url = arg('url') ?? `http://127.0.0.1:${config.port}`;
  const db = await openDatabase(config.database, createRegistry(createFeatures(config)).changes);
  // The last few messages are shown again on start (e.g. a notice card that arrived before the chat began).
  const history = await db.outbox.listForUser(as, 0, 100_000);
  let lastId = history.length > 3 ? history[history.length - 4]!.id : 0;
  // One reader at a time (the typed-line loop and the background poll share it), so nothing prints twice.
  let reading: Promise<number> = Promise.resolve(0);
  const drain = (): Promise<number> => {
    reading = reading.then(async () => {
      const fresh = await db.outbox.listForUser(as, lastId, 50);
      for (const item of fresh) {
        console.log(`\n助手> ${render(item).replaceAll('\n', '\n      ')}\n`);
        lastId = Math.max(lastId, item.id);
      }
      return fresh.length;
    });
    return reading;
  };
  // Messages that arrive unasked (a notice card, a reminder, a co-signer's answer) show up too.
  const poll = setInterval(() => void drain().catch(() => undefined), 1000);
  const kf = citizen
    ? citizenSimulator(db, {
        citizen,
        openKfid: config.kf.openKfids[0] ?? LOCAL_OPEN_KFID,
        crypto: { corpId: credentials.corpId, encodingAesKey: credentials.encodingAesKey },
        // The puller's flood and long-text guard, counted in this process.
        guard: createKfGuard(createMemoryKeyValueStore(), config.kf.citizenGuard),
      })
    : null;
  console.log(
    `以${citizen ? '群众（微信客服）' : ''} ${as} 的身份与 ${url} 对话。输入内容后回车；输入 /quit 退出。`,
  );
  if (kf) {
    await kf.enter(arg('scene') ?? '');
    await waitForReplies(drain);
  }
  // Created only now: lines piped in before the iterator below exists would be lost.
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  // Lines are read through the async iterator, which buffers them: piped input loses nothing while we wait.
  rl.setPrompt('我> ');
  rl.prompt();
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === '/quit') break;
      if (!line) {
        rl.prompt();
        continue;
      }
      if (kf) {
        await kf.say(line);
        await waitForReplies(drain);
        rl.prompt();
        continue;
      }
      const xml = textXml({
        corpId: credentials.corpId,
        from: as,
        content: line,
        msgId: `${Date.now()}${randomInt(1000, 9999)}`,
        createTime: Math.floor(Date.now() / 1000),
        agentId: credentials.agentId,
      });
      const signed = signCallback({ credentials, plaintext: xml, agentId: String(credentials.agentId) });
      const res = await fetch(`${url}/wecom/callback?${signed.query}`, {
        method: 'POST',
        body: signed.body,
      }).catch((err: unknown) => err);
      if (!(res instanceof Response)) {
        console.error(`连接 ${url} 失败：服务器在运行吗？`);
        rl.prompt();
        continue;
      }
      if (res.status !== 200) {
        console.error(`服务器回答 ${res.status}`);
        rl.prompt();
        continue;
      }
      await waitForReplies(drain);
      rl.prompt();
    }
  } finally {
    clearInterval(poll);
    await reading.catch(() => undefined);
    rl.close();
    await db.close();
  }
  return 0;
}

/** Replies arrive asynchronously (inbox → worker → outbox); wait briefly for them. */
async function waitForReplies(drain: () => Promise<number>): Promise<void> {
  const deadline = Date.now() + 5000;
  let quietSince = 0;
  while (Date.now() < deadline) {
    if ((await drain()) > 0) quietSince = Date.now();
    if (quietSince && Date.now() - quietSince > 400) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A citizen on 微信客服: what kf/sync_msg would return, stored as the puller stores it. */
function citizenSimulator(
  db: Database,
  opts: {
    citizen: string;
    openKfid: string;
    crypto: { corpId: string; encodingAesKey: string };
    guard: KfGuard;
  },
) {
  const base = { open_kfid: opts.openKfid, external_userid: opts.citizen };
  const store = (m: KfSyncedMessage) =>
    storeKfMessages(db, { openKfid: opts.openKfid, messages: [m] }, opts.crypto, new Date(), opts.guard);
  const id = (): string => `local${Date.now()}${randomInt(1000, 9999)}`;
  const sendTime = (): number => Math.floor(Date.now() / 1000);
  return {
    /** enter_session, with a welcome code as WeCom gives one to a citizen who has not written within 48 h. */
    enter: (scene: string) =>
      store({
        ...base,
        msgid: id(),
        send_time: sendTime(),
        origin: 4,
        msgtype: 'event',
        event: {
          event_type: 'enter_session',
          open_kfid: opts.openKfid,
          external_userid: opts.citizen,
          scene,
          welcome_code: id(),
        },
      }),
    say: (text: string) =>
      store({
        ...base,
        msgid: id(),
        send_time: sendTime(),
        origin: 3,
        msgtype: 'text',
        text: { content: text },
      }),
  };
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
