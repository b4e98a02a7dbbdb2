/** Poll votes from chat: a tap on an option button sends the hidden payload `#poll:<id>:<index>`. */
import { vi } from '../../../shared/i18n/vi';
import { castVote, POLL_PAYLOAD } from '../../../shared/polls/polls';
import type { Composer } from '../../router/composer';

export function register(bot: Composer) {
  bot.use(async (ctx, next) => {
    const m = ctx.eventName === 'user_send_text' && ctx.text ? POLL_PAYLOAD.exec(ctx.text) : null;
    if (!m) return next();
    if (!ctx.member) return ctx.reply(vi.poll.needMember);
    const out = await castVote(ctx.services.db, { pollId: Number(m[1]), member: ctx.member, optionIndex: Number(m[2]), now: ctx.services.clock.now() });
    if (out.ok) return ctx.reply(out.changed ? vi.poll.changed(out.option) : vi.poll.thanks(out.option));
    if (out.reason === 'closed') return ctx.reply(vi.poll.closed);
    if (out.reason === 'not_in_scope') return ctx.reply(vi.poll.notInScope);
    return ctx.reply(vi.poll.notFound);
  });
}
