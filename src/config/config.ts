import { z } from 'zod';

/**
 * Every setting the server reads, parsed once from the environment by `loadConfig` and passed in.
 * Nothing else in the code base reads process.env. Documented in .env.example.
 */
const emptyToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

const envSchema = z.object({
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
  WECOM_CORP_ID: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, '应为企业ID（ww 开头的字母数字）')
      .optional(),
  ),
  WECOM_AGENT_ID: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d{1,10}$/, '应为数字 AgentId')
      .optional(),
  ),
  WECOM_SECRET: optionalString,
  WECOM_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9]{1,32}$/, '应为 1-32 位字母数字')
      .optional(),
  ),
  WECOM_ENCODING_AES_KEY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9]{43}$/, '应为 43 位字母数字')
      .optional(),
  ),
  WECOM_API_BASE: z.preprocess(
    emptyToUndefined,
    z.url({ protocol: /^https?$/ }).default('https://qyapi.weixin.qq.com'),
  ),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^mysql:\/\/.+/, '应为 mysql://用户:密码@主机:端口/库名')
      .optional(),
  ),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  REDIS_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^rediss?:\/\/.+/, '应为 redis://主机:端口/库号')
      .optional(),
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  CALLBACK_MAX_SKEW_SECONDS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(1).max(3600).default(300),
  ),
  HTTP_HEADERS_TIMEOUT_MS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(100).max(120_000).default(10_000),
  ),
  HTTP_REQUEST_TIMEOUT_MS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(100).max(300_000).default(15_000),
  ),
  OFFICE_CONTACT: z.preprocess(emptyToUndefined, z.string().max(200).default('县政协办公室')),
  POLL_INTERVAL_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(10).max(60_000).default(250)),
  SQLITE_SYNC: z.preprocess(emptyToUndefined, z.enum(['wal-fsync', 'full']).default('full')),
  LEASE_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(300).max(120_000).default(3000)),
  SENDER_RETRY_BASE_MS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(10).max(600_000).default(1000),
  ),
  SENDER_RATE_LIMIT_PAUSE_MS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(10).max(3_600_000).default(60_000),
  ),
  SENDER_RATE_LIMIT_HOUR_PAUSE_MS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(10).max(86_400_000).default(3_600_000),
  ),
  FLOWS_DIR: z.preprocess(emptyToUndefined, z.string().default('./flows')),
  DUTY_POINTS_FILE: z.preprocess(emptyToUndefined, z.string().default('./flows/duties/points.yaml')),
  CONVERSATION_IDLE_MINUTES: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(30),
  ),
  WECOM_API_TIMEOUT_MS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(100).max(60_000).default(10_000),
  ),
  ADMIN_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[\x21-\x7e]{24,256}$/, '应为至少 24 位、不含空格的随机字符串')
      .optional(),
  ),
  NOTICE_REMIND_BEFORE_HOURS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number()
      .min(0)
      .max(30 * 24)
      .default(24),
  ),
  NOTICE_MORNING_REMINDER_HOUR: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(0).max(23).default(8),
  ),
  NOTICE_REMINDER_POLL_MS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  ),
  NOTICE_SOURCE: z.preprocess(emptyToUndefined, z.string().max(13).default('县政协')),
  WECOM_KF_OPEN_KFIDS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(
        /^\s*[A-Za-z0-9_-]{1,64}\s*(,\s*[A-Za-z0-9_-]{1,64}\s*)*$/,
        '应为逗号分隔的客服账号 ID（open_kfid）',
      )
      .optional(),
  ),
  WECOM_KF_SYNC_INTERVAL_SECONDS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(1).max(86_400).default(300),
  ),
  KF_CITIZEN_MAX_PER_MINUTE: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(1).max(10_000).default(20),
  ),
  KF_CITIZEN_MUTE_MINUTES: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(1).max(1440).default(10),
  ),
  KF_CITIZEN_TEXT_MAX_CHARS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(10).max(100_000).default(1000),
  ),
  SURVEY_DIGEST_HOUR: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(23).default(18)),
  SURVEY_RETENTION_DAYS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(1).max(3650).default(180),
  ),
  SURVEY_POLL_MS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(10).max(3_600_000).default(60_000),
  ),
  PROPOSAL_MEETING_WORKING_DAYS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(1).max(120).default(15),
  ),
  PROPOSAL_REPLY_MONTHS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(12).default(3)),
  PROPOSAL_EVALUATION_WORKING_DAYS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(1).max(120).default(15),
  ),
  PROPOSAL_RETURN_WORKING_DAYS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(1).max(60).default(5),
  ),
  PROPOSAL_REMIND_WORKING_DAYS_BEFORE: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(1).max(30).default(3),
  ),
  PROPOSAL_FOLLOW_UP_MONTHS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(1).max(24).default(6),
  ),
  PROPOSAL_NO_EVALUATION_RULE: z.preprocess(
    emptyToUndefined,
    z.enum(['deemed_satisfied', 'staff_follow_up']).default('deemed_satisfied'),
  ),
  PROPOSAL_DEADLINE_POLL_MS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(10).max(3_600_000).default(60_000),
  ),
});

export const WECOM_CREDENTIAL_VARS = [
  'WECOM_CORP_ID',
  'WECOM_AGENT_ID',
  'WECOM_SECRET',
  'WECOM_TOKEN',
  'WECOM_ENCODING_AES_KEY',
] as const;

export interface WecomCredentials {
  corpId: string;
  agentId: number;
  secret: string;
  token: string;
  encodingAesKey: string;
}

export interface Config {
  port: number;
  host: string;
  /** null = local mode: dev credentials are generated and messages stay in the local outbox. */
  wecom: WecomCredentials | null;
  wecomApiBase: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'mysql'; url: string };
  redisUrl: string | null;
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  callbackMaxSkewSeconds: number;
  /** A client that has not sent all its headers (slowloris) or its whole request (slow body) within these is cut off. */
  http: { headersTimeoutMs: number; requestTimeoutMs: number };
  officeContact: string;
  pollIntervalMs: number;
  /** How an embedded (SQLite) commit is made durable before it is reported: see .env.example. */
  sqliteSync: 'wal-fsync' | 'full';
  /** Lease of a claim (a user's inbox lock, an outbox item being sent), renewed while the work runs. */
  leaseMs: number;
  senderRetryBaseMs: number;
  senderRateLimitPauseMs: number;
  /** How long a 45009 block that outlived the minute pause is waited out (WeCom's hour window). */
  senderRateLimitHourPauseMs: number;
  wecomApiTimeoutMs: number;
  flowsDir: string;
  /** 履职积分 rules (YAML), read whenever points are computed. */
  dutyPointsFile: string;
  conversationIdleMs: number;
  /** Bearer token of the admin API; null = the admin API is off (404). */
  adminToken: string | null;
  notices: {
    /** Non-responders are reminded this long before the reply deadline. */
    remindBeforeMs: number;
    /** Attendees are reminded at this hour (Asia/Shanghai) on the meeting day. */
    morningHour: number;
    reminderPollMs: number;
    /** Shown as the card's source line (e.g. XX县政协). */
    source: string;
  };
  /** 微信客服 (citizens): the 客服账号 served; none = the channel is off (local mode serves a local one). */
  kf: {
    openKfids: string[];
    syncIntervalMs: number;
    /** A citizen over `maxPerMinute` messages a minute is answered once, then ignored for `muteMs`; a text over
     * `textMaxChars` characters is refused and not stored whole. */
    citizenGuard: { maxPerMinute: number; muteMs: number; textMaxChars: number };
  };
  surveys: {
    /** Staff get the daily digest of new survey responses at this hour (Asia/Shanghai). */
    digestHour: number;
    /** Who answered a survey is erased this many days after it closes (answers and counts stay). */
    retentionDays: number;
    pollMs: number;
  };
  /** Proposal handling time limits (Chinese working days / months) and rules. */
  proposals: {
    meetingWorkingDays: number;
    replyMonths: number;
    evaluationWorkingDays: number;
    returnWorkingDays: number;
    remindWorkingDaysBefore: number;
    followUpMonths: number;
    noEvaluationRule: 'deemed_satisfied' | 'staff_follow_up';
    deadlinePollMs: number;
  };
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`配置有误，无法启动：\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses the environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join('.')}: ${issue.message}`);
    }
  }
  const present = WECOM_CREDENTIAL_VARS.filter((k) => (env[k] ?? '').trim() !== '');
  if (present.length > 0 && present.length < WECOM_CREDENTIAL_VARS.length) {
    const missing = WECOM_CREDENTIAL_VARS.filter((k) => !present.includes(k));
    for (const k of missing)
      problems.push(`${k}: 已设置部分企业微信配置，此项也必须设置（或全部不设，以本地模式运行）`);
  }
  if (parsed.success && parsed.data.HTTP_HEADERS_TIMEOUT_MS > parsed.data.HTTP_REQUEST_TIMEOUT_MS)
    problems.push('HTTP_HEADERS_TIMEOUT_MS: 不能大于 HTTP_REQUEST_TIMEOUT_MS');
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const dataDir = e.DATA_DIR;
  return {
    port: e.PORT,
    host: e.HOST,
    wecom:
      present.length === WECOM_CREDENTIAL_VARS.length
        ? {
            corpId: e.WECOM_CORP_ID ?? '',
            agentId: Number(e.WECOM_AGENT_ID),
            secret: e.WECOM_SECRET ?? '',
            token: e.WECOM_TOKEN ?? '',
            encodingAesKey: e.WECOM_ENCODING_AES_KEY ?? '',
          }
        : null,
    wecomApiBase: e.WECOM_API_BASE.replace(/\/+$/, ''),
    database: e.DATABASE_URL
      ? { kind: 'mysql', url: e.DATABASE_URL }
      : { kind: 'sqlite', file: `${dataDir}/xieshang.sqlite` },
    redisUrl: e.REDIS_URL ?? null,
    dataDir,
    logLevel: e.LOG_LEVEL,
    callbackMaxSkewSeconds: e.CALLBACK_MAX_SKEW_SECONDS,
    http: { headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS },
    officeContact: e.OFFICE_CONTACT,
    pollIntervalMs: e.POLL_INTERVAL_MS,
    leaseMs: e.LEASE_MS,
    sqliteSync: e.SQLITE_SYNC,
    senderRetryBaseMs: e.SENDER_RETRY_BASE_MS,
    senderRateLimitPauseMs: e.SENDER_RATE_LIMIT_PAUSE_MS,
    senderRateLimitHourPauseMs: e.SENDER_RATE_LIMIT_HOUR_PAUSE_MS,
    wecomApiTimeoutMs: e.WECOM_API_TIMEOUT_MS,
    flowsDir: e.FLOWS_DIR,
    dutyPointsFile: e.DUTY_POINTS_FILE,
    conversationIdleMs: e.CONVERSATION_IDLE_MINUTES * 60_000,
    adminToken: e.ADMIN_TOKEN ?? null,
    notices: {
      remindBeforeMs: Math.round(e.NOTICE_REMIND_BEFORE_HOURS * 3_600_000),
      morningHour: e.NOTICE_MORNING_REMINDER_HOUR,
      reminderPollMs: e.NOTICE_REMINDER_POLL_MS,
      source: e.NOTICE_SOURCE,
    },
    kf: {
      openKfids: (e.WECOM_KF_OPEN_KFIDS ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
      syncIntervalMs: e.WECOM_KF_SYNC_INTERVAL_SECONDS * 1000,
      citizenGuard: {
        maxPerMinute: e.KF_CITIZEN_MAX_PER_MINUTE,
        muteMs: e.KF_CITIZEN_MUTE_MINUTES * 60_000,
        textMaxChars: e.KF_CITIZEN_TEXT_MAX_CHARS,
      },
    },
    surveys: {
      digestHour: e.SURVEY_DIGEST_HOUR,
      retentionDays: e.SURVEY_RETENTION_DAYS,
      pollMs: e.SURVEY_POLL_MS,
    },
    proposals: {
      meetingWorkingDays: e.PROPOSAL_MEETING_WORKING_DAYS,
      replyMonths: e.PROPOSAL_REPLY_MONTHS,
      evaluationWorkingDays: e.PROPOSAL_EVALUATION_WORKING_DAYS,
      returnWorkingDays: e.PROPOSAL_RETURN_WORKING_DAYS,
      remindWorkingDaysBefore: e.PROPOSAL_REMIND_WORKING_DAYS_BEFORE,
      followUpMonths: e.PROPOSAL_FOLLOW_UP_MONTHS,
      noEvaluationRule: e.PROPOSAL_NO_EVALUATION_RULE,
      deadlinePollMs: e.PROPOSAL_DEADLINE_POLL_MS,
    },
  };
}
