/**
 * Linking a Zalo follower to a member record in chat: "liên kết" → member code → date of birth, or the
 * phone number shared through the request-user-info form (user_submit_info).
 */
import { vi } from '../../../shared/i18n/vi';
import { requestUserInfoMessage } from '../../../shared/zalo';
import { linkByCodeAndDob, linkByVerifiedPhone, linkAttemptsLeft, notifyMovedMember, type LinkResult } from '../../../shared/members/linking';
import { parseVnDate } from '../../../shared/members/import';
import { getMemberWithBranch } from '../../../shared/db/queries/members';
import type { Composer } from '../../router/composer';
import type { BotContext } from '../../router/context';

export const LINK_WORDS = /^(lien ket|lienket|link|xac minh|xac thuc|lien ket tai khoan|ket noi)$/;
const FLOW = 'link';
const SHARE_IMAGE = 'https://stc-oa.zdn.vn/resource/default/oa-icon.png';

async function start(ctx: BotContext) {
  if (ctx.member) {
    await ctx.reply(vi.link.already(ctx.member.fullName, ctx.member.memberCode));
    return;
  }
  if ((await linkAttemptsLeft(ctx.services.db, ctx.userId!, ctx.services.clock.now())) <= 0) {
    await ctx.reply(vi.link.tooMany);
    return;
  }
  ctx.patchState({ flow: FLOW, step: 'code', data: {} });
  await ctx.reply(`${vi.link.purpose}\n\n${vi.link.askCode}`);
  await ctx.reply(requestUserInfoMessage(vi.link.sharePhoneTitle, vi.link.sharePhoneSubtitle, SHARE_IMAGE));
}

async function finish(ctx: BotContext, result: LinkResult) {
  if (result.ok) {
    ctx.clearFlow();
    ctx.member = result.member;
    const withBranch = await getMemberWithBranch(ctx.services.db, result.member.id);
    await ctx.reply(vi.link.success(result.member.fullName, result.member.memberCode, withBranch?.branch.name ?? ''));
  } else if (result.reason === 'linked_elsewhere') {
    ctx.clearFlow();
    await ctx.reply(vi.link.linkedElsewhere);
  } else if (result.reason === 'rate_limited' || result.attemptsLeft <= 0) {
    ctx.clearFlow();
    await ctx.reply(vi.link.tooMany);
  } else {
    ctx.patchState({ flow: FLOW, step: 'code', data: {} });
    await ctx.reply(`${vi.link.failed(result.attemptsLeft)}\n${vi.link.askCode}`);
  }
}

export function register(bot: Composer) {
  bot.hears(LINK_WORDS, start);

  // Steps of the flow own the next text message.
  bot.use(async (ctx, next) => {
    if (ctx.state.flow !== FLOW || ctx.eventName !== 'user_send_text' || ctx.text === undefined) return next();
    const text = ctx.text;
    if (ctx.state.step === 'code') {
      ctx.patchState({ step: 'dob', data: { memberCode: text.replace(/\s+/g, '').slice(0, 50) } });
      await ctx.reply(vi.link.askDob);
      return;
    }
    if (ctx.state.step === 'dob') {
      if (!parseVnDate(text)) {
        await ctx.reply(vi.link.badDob);
        return;
      }
      const code = String(ctx.state.data?.memberCode ?? '');
      const { db, clock } = ctx.services;
      const appUserId = (ctx.event as { user_id_by_app?: string }).user_id_by_app;
      await finish(ctx, await linkByCodeAndDob(db, ctx.userId!, { zaloUserId: ctx.userId, zaloAppUserId: appUserId || null }, code, text, clock.now()));
      return;
    }
    return next();
  });

  bot.on('user_submit_info', async (ctx) => {
    const info = (ctx.event as { info?: { phone?: string } }).info;
    if (ctx.member) {
      await ctx.reply(vi.link.already(ctx.member.fullName, ctx.member.memberCode));
      return;
    }
    if (!info?.phone) return;
    const { db, clock } = ctx.services;
    const appUserId = (ctx.event as { user_id_by_app?: string }).user_id_by_app;
    const result = await linkByVerifiedPhone(db, ctx.userId!, { zaloUserId: ctx.userId, zaloAppUserId: appUserId || null }, info.phone, clock.now());
    await notifyMovedMember(ctx.services.zalo, ctx.services.logger, result);
    if (!result.ok && result.reason === 'mismatch' && result.attemptsLeft > 0) {
      await ctx.reply(vi.link.phoneNotFound);
      return;
    }
    await finish(ctx, result);
  });
}
