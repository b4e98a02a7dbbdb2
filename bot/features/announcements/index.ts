/** "thông báo" / "tin mới": the latest announcements for the member's branch (public ones when unlinked). */
import { vi } from '../../../shared/i18n/vi';
import { button } from '../../../shared/zalo';
import { getAnnouncement, isAnnouncementVisible, listVisibleAnnouncements } from '../../../shared/db/queries/announcements';
import type { Composer } from '../../router/composer';

export const NEWS_WORDS = /^(thong bao|thong bao moi|tin moi|tin tuc|ban tin|news|xem thong bao)$/;
export const READ_PAYLOAD = /^#tb:(\d{1,9})$/;

const fmtDate = (d: Date) => d.toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' });

export function register(bot: Composer) {
  bot.hears(NEWS_WORDS, async (ctx) => {
    const { db, clock } = ctx.services;
    const items = await listVisibleAnnouncements(db, ctx.member?.branchId ?? null, clock.now(), 5);
    if (items.length === 0) {
      await ctx.reply(vi.news.none);
      return;
    }
    const list = items.map((a, i) => `${i + 1}. ${a.title} (${fmtDate(a.publishedAt!)})`).join('\n');
    await ctx.reply(
      `${vi.news.header(items.length)}\n${list}`,
      items.map((a, i) => button.hiddenQuery(`${i + 1}. ${a.title}`.slice(0, 100), `#tb:${a.id}`)),
    );
  });

  bot.hears(READ_PAYLOAD, async (ctx) => {
    const id = Number(READ_PAYLOAD.exec(ctx.text!.trim())![1]);
    const { db, clock } = ctx.services;
    const a = await getAnnouncement(db, id);
    if (!a || !(await isAnnouncementVisible(db, a, ctx.member?.branchId ?? null, clock.now()))) {
      await ctx.reply(vi.news.notFound);
      return;
    }
    const body = `📢 ${a.title}\n${fmtDate(a.publishedAt!)}\n\n${a.body}`;
    await ctx.reply(body, a.linkUrl ? [button.url('Xem chi tiết', a.linkUrl)] : undefined);
  });
}
