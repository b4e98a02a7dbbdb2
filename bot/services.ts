/**
 * Builds the services the app and the workers share from config + database: the Zalo client (pointed
 * at the built-in simulator in demo mode), the bot and the inbox processor.
 */
import type { Config } from '../shared/config';
import type { Database, Db } from '../shared/db/client';
import type { Logger } from '../shared/logger';
import type { Clock } from '../shared/clock';
import crypto from 'node:crypto';
import { createZaloClient, DbTokenStore, replaceTokens, seedTokens, TokenManager, type ZaloClient } from '../shared/zalo';
import { getSetting, setSetting } from '../shared/db/queries/audit';

const ENV_TOKENS_KEY = 'zalo_env_tokens_sha256';
import { createBot, type Bot, type BotOptions } from './bot';
import * as qa from './features/qa';
import type { KbIndex } from '../shared/kb/kb-index';
import { createLlmRephraser } from '../shared/qa';
import { createInboxProcessor, type InboxProcessor } from './webhook/inbox-processor';

export interface ZaloEndpoints {
  openapiUrl: string;
  oauthUrl: string;
  graphUrl: string;
}

/** In demo mode the client talks to /simulator on this very server. */
export function zaloEndpoints(config: Config, selfUrl: string): ZaloEndpoints {
  if (config.demoMode) {
    return { openapiUrl: `${selfUrl}/simulator/openapi`, oauthUrl: `${selfUrl}/simulator/oauth`, graphUrl: `${selfUrl}/simulator/graph` };
  }
  return { openapiUrl: config.zalo.openapiUrl, oauthUrl: config.zalo.oauthUrl, graphUrl: config.zalo.graphUrl };
}

export async function createZalo(config: Config, database: Database, logger: Logger, clock: Clock, endpoints: ZaloEndpoints): Promise<ZaloClient> {
  const db = database.db;
  if (config.demoMode) {
    await seedTokens(db, { accessToken: 'demo-access', refreshToken: 'demo-refresh' });
  } else {
    // The stored pair rotates on every refresh; a pair in the environment that differs from the one
    // seeded last time was re-issued by the operator and replaces the stored one.
    const pair = { accessToken: config.zalo.accessToken ?? '', refreshToken: config.zalo.refreshToken ?? '' };
    const hash = crypto.createHash('sha256').update(`${pair.accessToken}\n${pair.refreshToken}`).digest('hex');
    const seeded = await getSetting(db, ENV_TOKENS_KEY);
    if (!(await seedTokens(db, pair)) && seeded !== hash) await replaceTokens(db, pair);
    await setSetting(db, ENV_TOKENS_KEY, hash);
  }
  const tokens = new TokenManager(new DbTokenStore(db, { oneProcess: database.kind === 'pglite' }), { logger, clock });
  return createZaloClient({
    ...endpoints,
    appId: config.zalo.appId ?? (config.demoMode ? 'demo-app' : undefined),
    appSecret: config.zalo.appSecret ?? (config.demoMode ? 'demo-secret' : undefined),
    tokens,
    logger,
    clock,
  });
}

export function createBotServices(
  deps: { config: Config; db: Db; logger: Logger; clock: Clock; zalo: ZaloClient; kb: KbIndex },
  opts: BotOptions & { inboxPollMs?: number; autoStartInbox?: boolean } = {},
): { bot: Bot; inbox: InboxProcessor } {
  const llm = deps.config.llm ? createLlmRephraser(deps.config.llm) : undefined;
  const bot = createBot(deps, { ...opts, features: [...(opts.features ?? []), qa.register(deps.kb, { llm })] });
  const inbox = createInboxProcessor({
    db: deps.db,
    logger: deps.logger,
    handle: (e) => bot.handleEvent(e),
    pollMs: opts.inboxPollMs,
    autoStart: opts.autoStartInbox,
  });
  return { bot, inbox };
}
