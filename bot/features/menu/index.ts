/** Welcome on follow, the main menu, and the follow/unfollow bookkeeping that broadcasts rely on. */
import { button, type ZaloButton } from '../../../shared/zalo';
import { vi } from '../../../shared/i18n/vi';
import { markFollowed, markUnfollowed } from '../../../shared/db/queries/members';
import type { Composer } from '../../router/composer';

export function menuButtons(): ZaloButton[] {
  return [
    button.query(vi.menu.qa, vi.menu.qa),
    button.query(vi.menu.news, vi.menu.news),
    button.query(vi.menu.welfare, vi.menu.welfare),
    button.query(vi.menu.card, vi.menu.card),
    button.query(vi.menu.officer, vi.menu.officer),
  ];
}

export const MENU_WORDS = /^(menu|danh muc|bat dau|start|tro giup|help|huong dan|chuc nang)$/;
export const GREETING_WORDS = /^(xin chao|chao|chao ban|chao ad|chao admin|hello|hi|helo|alo|a lo|hey)( (ban|ad|admin|oa|cong doan|em|anh|chi))?$/;
export const CANCEL_WORDS = /^(huy|huy bo|thoi|thoi khong|khong lam nua|thoat|dung lai|cancel|stop|quay lai)$/;
export const QA_PROMPT_WORDS = /^(hoi dap phap luat|hoi dap|hoi phap luat|tu van phap luat)$/;

export function register(bot: Composer) {
  bot.on('follow', async (ctx) => {
    if (ctx.userId) await markFollowed(ctx.services.db, ctx.userId);
    await ctx.reply(vi.welcome(ctx.member?.fullName), menuButtons());
  });

  bot.on('unfollow', async (ctx) => {
    if (ctx.userId) await markUnfollowed(ctx.services.db, ctx.userId, ctx.services.clock.now());
  });

  bot.hears(CANCEL_WORDS, async (ctx) => {
    ctx.clearFlow();
    await ctx.reply(vi.cancelled, menuButtons());
  });

  // The menu starts over: no flow, and no earlier question waiting for "gặp cán bộ".
  bot.hears(MENU_WORDS, (ctx) => {
    ctx.setState({});
    return ctx.reply(vi.menuIntro, menuButtons());
  });

  bot.hears(GREETING_WORDS, (ctx) => {
    ctx.setState({});
    return ctx.reply(vi.greeting(ctx.member?.fullName), menuButtons());
  });

  bot.hears(QA_PROMPT_WORDS, (ctx) => ctx.reply(vi.qaPrompt));
}

/** Last resort for text nobody handled (the Q&A feature normally answers before this). */
export function registerFallback(bot: Composer) {
  bot.on('user_send_text', (ctx) => ctx.reply(vi.unknown, menuButtons()));
}
