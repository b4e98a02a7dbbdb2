/**
 * Q&A: text no other feature claimed goes to the knowledge base. Confident → the entry's answer with its
 * citation and related questions as buttons; unsure → an honest reply, closest topics and "Gặp cán bộ"
 * (the question is remembered so the hand-off carries it). Optional LLM rephrasing stays grounded in the KB.
 */
import { button, type ZaloButton } from '../../../shared/zalo';
import { formatAnswerText, HANDOFF_PAYLOAD, type LlmRephraser, type QaButton } from '../../../shared/qa';
import type { KbIndex } from '../../../shared/kb/kb-index';
import type { Composer } from '../../router/composer';
import { menuButtons } from '../menu';

const toButtons = (bs: QaButton[]): ZaloButton[] => bs.slice(0, 5).map((b) => button.query(b.title.slice(0, 100), b.payload.slice(0, 1000)));

export function register(kb: KbIndex, opts: { llm?: LlmRephraser } = {}) {
  return (bot: Composer) => {
    bot.on('user_send_text', async (ctx, next) => {
      const text = ctx.text;
      if (!text) return next();
      const a = await kb.ask(text, ctx.userId);
      switch (a.kind) {
        case 'smalltalk':
          await ctx.reply(a.text, menuButtons());
          return;
        case 'answer': {
          let body: string | undefined;
          if (opts.llm) body = (await opts.llm.rephrase(text, [a.entry])) ?? undefined;
          const reply = body ? formatAnswerText(a.entry, { personalCase: a.personalCase, body }) : a.text;
          const buttons = toButtons(a.related);
          if (a.personalCase) {
            // Their own case: the general rule plus the way to a human officer, who gets this question.
            ctx.patchState({ lastQuestion: text });
            if (!buttons.some((b) => b.title === HANDOFF_PAYLOAD)) buttons.splice(4, buttons.length, button.query(HANDOFF_PAYLOAD, HANDOFF_PAYLOAD));
          }
          await ctx.reply(reply, buttons);
          return;
        }
        default:
          ctx.patchState({ lastQuestion: text });
          await ctx.reply(a.text, toButtons(a.suggestions));
      }
    });
  };
}
