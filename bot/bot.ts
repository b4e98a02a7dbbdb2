/**
 * The OA bot: features registered on one composer, and `handleEvent` that runs one webhook event
 * through it with the sender's member record and persisted conversation state.
 */
import { Composer } from './router/composer';
import { BotContext, type BotServices, type ConversationState } from './router/context';
import type { AnyWebhookEvent } from './router/types';
import { eventUserId, type ZaloMessage } from '../shared/zalo';
import { getMemberByZaloUserId } from '../shared/db/queries/members';
import { getConversationState, saveConversationState } from '../shared/db/queries/conversations';
import * as menu from './features/menu';
import * as memberLink from './features/member-link';
import * as announcements from './features/announcements';
import * as card from './features/card';
import * as handoff from './features/handoff';
import * as welfare from './features/welfare';
import * as polls from './features/polls';

export interface BotOptions {
  /** Public URL of the mini-app (card button); omitted when unknown. */
  miniAppUrl?: string;
  /** Extra features registered before the fallback (Q&A, welfare…). */
  features?: ((bot: Composer) => void)[];
}

export interface Bot {
  composer: Composer;
  handleEvent(event: AnyWebhookEvent): Promise<BotContext>;
}

/** What the menu buttons send and the commands that start a feature, folded as `hears` sees them. */
const MAIN_COMMANDS = [
  menu.MENU_WORDS,
  menu.GREETING_WORDS,
  menu.QA_PROMPT_WORDS,
  handoff.HANDOFF_WORDS,
  memberLink.LINK_WORDS,
  announcements.NEWS_WORDS,
  card.CARD_WORDS,
  welfare.WELFARE_WORDS,
];

const IGNORED_EVENTS = new Set(['user_received_message', 'user_seen_message', 'user_reacted_message', 'oa_reacted_message']);

export function createBot(services: BotServices, opts: BotOptions = {}): Bot {
  const composer = new Composer();
  composer.use((ctx, next) => (IGNORED_EVENTS.has(ctx.eventName) || ctx.eventName.startsWith('oa_send_') ? undefined : next()));
  // A menu button or a main command in the middle of a flow is that command, not the flow's answer:
  // the flow lets go first.
  composer.hears(
    (folded, ctx) => Boolean(ctx.state.flow) && MAIN_COMMANDS.some((re) => re.test(folded)),
    (ctx, next) => {
      ctx.setState({});
      return next();
    },
  );
  menu.register(composer);
  // Flows that own the next message come before commands that could steal it.
  memberLink.register(composer);
  polls.register(composer);
  welfare.register(composer);
  handoff.register(composer);
  announcements.register(composer);
  card.register(composer, { miniAppUrl: opts.miniAppUrl });
  for (const f of opts.features ?? []) f(composer);
  menu.registerFallback(composer);

  const send = async (userId: string, message: ZaloMessage) => {
    await services.zalo.sendMessage('cs', userId, message);
  };

  return {
    composer,
    async handleEvent(event) {
      const userId = eventUserId(event);
      const member = userId ? await getMemberByZaloUserId(services.db, userId) : undefined;
      const state = (userId ? await getConversationState(services.db, userId) : {}) as ConversationState;
      const ctx = new BotContext(services, event, userId, member, state, send);
      await composer.run(ctx);
      if (userId && ctx.isStateDirty) await saveConversationState(services.db, userId, ctx.state as Record<string, unknown>);
      return ctx;
    },
  };
}
