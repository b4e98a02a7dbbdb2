/**
 * `cli ask "<question>"`: prints exactly the text the bot would reply to that message (each reply's
 * text, then its buttons one per line as "[title]"). Runs the real bot pipeline on the database; when
 * the embedded database is held by a running server, answers from the seed knowledge base instead.
 */
import { createLogger } from '../logger';
import { systemClock } from '../clock';
import type { Config } from '../config';
import type { Database } from '../db/client';
import type { ZaloClient, ZaloMessage } from '../zalo';
import { createKbIndex, seedKnowledgeBase } from '../kb/kb-index';
import { createQaEngine, loadSeedKb } from '../qa';
import { createBotServices } from '../../bot/services';

export function formatReply(msg: ZaloMessage): string {
  const m = msg as { text?: string; attachment?: { payload?: { buttons?: { title: string }[] } } };
  const lines = m.text ? [m.text] : [];
  for (const b of m.attachment?.payload?.buttons ?? []) lines.push(`[${b.title}]`);
  return lines.join('\n');
}

export async function askWithBot(config: Config, database: Database, question: string): Promise<string> {
  const logger = createLogger('silent');
  await seedKnowledgeBase(database.db);
  const kb = await createKbIndex(database.db, logger, { pollMs: 0 });
  const replies: ZaloMessage[] = [];
  // Replies are captured here instead of being sent to Zalo.
  const capture = {
    sendMessage: async (_kind: string, _userId: string, message: ZaloMessage) => {
      replies.push(message);
      return { messageId: 'cli', quota: null };
    },
  } as unknown as ZaloClient;
  const { bot, inbox } = createBotServices({ config, db: database.db, logger, clock: systemClock, zalo: capture, kb }, { autoStartInbox: false });
  try {
    await bot.handleEvent({
      app_id: 'cli',
      event_name: 'user_send_text',
      timestamp: String(Date.now()),
      sender: { id: '0' },
      recipient: { id: 'cli' },
      message: { msg_id: `cli-${Date.now()}`, text: question },
    } as never);
  } finally {
    kb.close();
    await inbox.close();
  }
  return replies.map(formatReply).join('\n\n');
}

export function askFromSeed(question: string): string {
  const engine = createQaEngine(loadSeedKb().map((e, i) => ({ ...e, id: i + 1 })));
  const a = engine.answer(question);
  const buttons = 'related' in a ? a.related : 'suggestions' in a ? a.suggestions : [];
  return [a.text, ...buttons.map((b) => `[${b.title}]`)].join('\n');
}
