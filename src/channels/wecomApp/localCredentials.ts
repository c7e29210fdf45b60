import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { WecomCredentials } from '../../config/config.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const fileSchema = z.object({
  corpId: z.string().min(1),
  agentId: z.number().int(),
  secret: z.string().min(1),
  token: z.string().regex(/^[A-Za-z0-9]{1,32}$/),
  encodingAesKey: z.string().regex(/^[A-Za-z0-9]{43}$/),
});

export function localCredentialsFile(dataDir: string): string {
  return join(dataDir, 'local-wecom.json');
}

/**
 * Local mode: dev credentials generated once and kept in DATA_DIR, so callbacks are still signed and encrypted
 * exactly as WeCom would (the chat simulator reads the same file).
 */
export function loadOrCreateLocalCredentials(dataDir: string): {
  credentials: WecomCredentials;
  created: boolean;
} {
  const file = localCredentialsFile(dataDir);
  try {
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) return { credentials: parsed.data, created: false };
  } catch {
    // missing or unreadable: create below
  }
  const credentials: WecomCredentials = {
    corpId: `wwlocal${randomString(10).toLowerCase()}`,
    agentId: 1000002,
    secret: randomString(43),
    token: randomString(32),
    encodingAesKey: randomString(43),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return { credentials, created: true };
}

/** Reads the local credentials without creating them (chat simulator). */
export function readLocalCredentials(dataDir: string): WecomCredentials | null {
  try {
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(localCredentialsFile(dataDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function randomString(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
  return out;
}
