/**
 * Configuration: the only module that reads process.env. Parsed once with zod into a frozen object;
 * a bad value stops the process at start with a message naming the variable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.string().url().optional());
const urlWithDefault = (def: string) =>
  z.preprocess(emptyToUndefined, z.string().url().default(def)).transform((u) => u.replace(/\/+$/, ''));

const envSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
  ),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  REDIS_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
  ),
  ZALO_APP_ID: optionalString,
  ZALO_APP_SECRET: optionalString,
  ZALO_OA_ID: optionalString,
  ZALO_OA_SECRET_KEY: optionalString,
  ZALO_OA_ACCESS_TOKEN: optionalString,
  ZALO_OA_REFRESH_TOKEN: optionalString,
  ZALO_OPENAPI_URL: urlWithDefault('https://openapi.zalo.me'),
  ZALO_OAUTH_URL: urlWithDefault('https://oauth.zaloapp.com'),
  ZALO_GRAPH_URL: urlWithDefault('https://graph.zalo.me'),
  BROADCAST_RATE: z.preprocess(emptyToUndefined, z.coerce.number().positive().max(10000).default(20)),
  WEBHOOK_SILENCE_MINUTES: z.preprocess(emptyToUndefined, z.coerce.number().positive().max(7 * 24 * 60).optional()),
  WEBHOOK_FLOOD_LIMIT_PER_MINUTE: z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(60_000)),
  QR_SECRET: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: optionalString,
  LLM_MODEL: optionalString,
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  PUBLIC_URL: optionalUrl,
});

export type Env = z.infer<typeof envSchema>;

/** Zalo retries a failed webhook for hours before disabling it; 6 h of quiet is worth an alarm. */
export const DEFAULT_WEBHOOK_SILENCE_MS = 6 * 3600_000;

export interface Config {
  nodeEnv: Env['NODE_ENV'];
  port: number;
  databaseUrl?: string;
  dataDir: string;
  redisUrl?: string;
  zalo: {
    appId?: string;
    appSecret?: string;
    oaId?: string;
    oaSecretKey?: string;
    accessToken?: string;
    refreshToken?: string;
    openapiUrl: string;
    oauthUrl: string;
    graphUrl: string;
  };
  /** No OA access + refresh token → talk to the built-in simulator. */
  demoMode: boolean;
  broadcastRate: number;
  /** Webhook silence that raises the alarm; null = no watch (demo mode unless WEBHOOK_SILENCE_MINUTES is set). */
  webhookSilenceMs: number | null;
  /** Webhook requests one address may send per minute before 429 (a flood guard, far above Zalo's traffic). */
  webhookFloodLimitPerMinute: number;
  qrSecret?: string;
  llm?: { baseUrl: string; apiKey?: string; model: string };
  logLevel: Env['LOG_LEVEL'];
  publicUrl?: string;
}

export class ConfigError extends Error {
  constructor(public readonly issues: { variable: string; message: string }[]) {
    super(
      'Cấu hình không hợp lệ / invalid configuration:\n' +
        issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Reads `.env` from cwd when present; real environment variables win. */
export function readEnvFile(cwd = process.cwd()): Record<string, string> {
  const file = path.join(cwd, '.env');
  if (!fs.existsSync(file)) return {};
  return parseDotenv(fs.readFileSync(file));
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })),
    );
  }
  const e = parsed.data;
  const demoMode = !e.ZALO_OA_ACCESS_TOKEN && !e.ZALO_OA_REFRESH_TOKEN;
  if (e.LLM_BASE_URL && !e.LLM_MODEL) {
    throw new ConfigError([{ variable: 'LLM_MODEL', message: 'required when LLM_BASE_URL is set' }]);
  }
  const config: Config = {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    redisUrl: e.REDIS_URL,
    zalo: {
      appId: e.ZALO_APP_ID,
      appSecret: e.ZALO_APP_SECRET,
      oaId: e.ZALO_OA_ID,
      oaSecretKey: e.ZALO_OA_SECRET_KEY,
      accessToken: e.ZALO_OA_ACCESS_TOKEN,
      refreshToken: e.ZALO_OA_REFRESH_TOKEN,
      openapiUrl: e.ZALO_OPENAPI_URL,
      oauthUrl: e.ZALO_OAUTH_URL,
      graphUrl: e.ZALO_GRAPH_URL,
    },
    demoMode,
    broadcastRate: e.BROADCAST_RATE,
    webhookFloodLimitPerMinute: e.WEBHOOK_FLOOD_LIMIT_PER_MINUTE,
    webhookSilenceMs: e.WEBHOOK_SILENCE_MINUTES !== undefined ? e.WEBHOOK_SILENCE_MINUTES * 60_000 : demoMode ? null : DEFAULT_WEBHOOK_SILENCE_MS,
    qrSecret: e.QR_SECRET,
    llm: e.LLM_BASE_URL && e.LLM_MODEL ? { baseUrl: e.LLM_BASE_URL, apiKey: e.LLM_API_KEY, model: e.LLM_MODEL } : undefined,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL,
  };
  return deepFreeze(config);
}

/** The process's config: `.env` merged under the real environment. Call once in a main file. */
export function loadConfig(): Config {
  return parseConfig({ ...readEnvFile(), ...process.env });
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
