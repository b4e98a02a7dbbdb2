/** "thẻ đoàn viên": the member's card details in chat, with a button to the mini-app card (QR). */
import { vi } from '../../../shared/i18n/vi';
import { button } from '../../../shared/zalo';
import { getMemberWithBranch } from '../../../shared/db/queries/members';
import type { Composer } from '../../router/composer';

export const CARD_WORDS = /^(the doan vien|the|the cua toi|ma qr|qr|the dv)$/;

export function register(bot: Composer, opts: { miniAppUrl?: string }) {
  bot.hears(CARD_WORDS, async (ctx) => {
    if (!ctx.member) {
      await ctx.reply(vi.link.needLink);
      return;
    }
    const row = await getMemberWithBranch(ctx.services.db, ctx.member.id);
    const m = row!.member;
    const text = vi.card.info(m.fullName, m.memberCode, row!.branch.name, vi.memberStatus[m.status] ?? m.status);
    await ctx.reply(text, opts.miniAppUrl ? [button.url(vi.card.open, opts.miniAppUrl)] : undefined);
  });
}
