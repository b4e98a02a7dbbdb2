/** "gặp cán bộ": a hand-off ticket an officer answers from the console or the admin API. */
import { vi } from '../../../shared/i18n/vi';
import { addTicketMessage, createTicket, getOpenTicketForUser } from '../../../shared/db/queries/handoffs';
import { foldCommand, type Composer } from '../../router/composer';
import type { BotContext } from '../../router/context';

/**
 * "gặp cán bộ" and the like, alone or followed by the question; "cán bộ" alone too, but not a question
 * that merely starts with it ("cán bộ công đoàn có được nghỉ…" is for the Q&A).
 */
export const HANDOFF_WORDS = /^(?:(?:gap can bo|gap nguoi that|gap tu van vien|noi chuyen voi can bo|hoi can bo|lien he can bo|gap admin|gap ad)\b|can bo$)/;
const FLOW = 'handoff';

export async function openTicket(ctx: BotContext, question: string) {
  const { db } = ctx.services;
  const existing = await getOpenTicketForUser(db, ctx.userId!);
  if (existing) {
    await addTicketMessage(db, { ticketId: existing.id, author: 'user', text: question }, 'open');
    ctx.setState({});
    await ctx.reply(vi.handoff.stillOpen(existing.id));
    return;
  }
  const ticket = await createTicket(db, { zaloUserId: ctx.userId!, memberId: ctx.member?.id ?? null, question });
  ctx.setState({});
  await ctx.reply(vi.handoff.created(ticket.id));
}

export function register(bot: Composer) {
  bot.hears(HANDOFF_WORDS, async (ctx) => {
    // "gặp cán bộ về lương tháng 10" carries its own question (the words after the command); otherwise
    // use the question the bot could not answer just before, or ask for one.
    const commandWords = HANDOFF_WORDS.exec(foldCommand(ctx.text!))![0].trim().split(/\s+/).length;
    const inline = ctx.text!.trim().split(/\s+/).slice(commandWords).join(' ').replace(/^(về|ve|là|la|:|-|,)\s+/i, '').trim();
    const question = inline.length > 5 ? inline : ctx.state.lastQuestion;
    if (question) {
      await openTicket(ctx, question);
      return;
    }
    ctx.patchState({ flow: FLOW, step: 'question' });
    await ctx.reply(vi.handoff.askQuestion);
  });

  bot.use(async (ctx, next) => {
    if (ctx.state.flow !== FLOW || ctx.eventName !== 'user_send_text' || !ctx.text) return next();
    await openTicket(ctx, ctx.text);
  });
}
