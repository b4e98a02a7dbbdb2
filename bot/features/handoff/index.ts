/** "gặp cán bộ": a hand-off ticket an officer answers from the console or the admin API. */
import { vi } from '../../../shared/i18n/vi';
import { addTicketMessage, createTicket, getOpenTicketForUser } from '../../../shared/db/queries/handoffs';
import type { Composer } from '../../router/composer';
import type { BotContext } from '../../router/context';

export const HANDOFF_WORDS = /^(gap can bo|gap nguoi that|gap tu van vien|noi chuyen voi can bo|can bo|hoi can bo|lien he can bo|gap admin|gap ad)\b/;
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
    // "gặp cán bộ về lương tháng 10" carries its own question; otherwise use the question the bot
    // could not answer just before, or ask for one.
    const rest = ctx.text!.replace(/^\s*\S+\s+\S+\s+\S+\s*/, '').trim();
    const inline = /^(gap|hoi|lien|noi)/.test(rest) ? '' : rest;
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
