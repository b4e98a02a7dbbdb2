/**
 * A small middleware composer keyed by event name (in the spirit of grammY's Composer). Features
 * register handlers; a handler may call `next()` to pass the event on.
 */
import type { BotContext } from './context';
import { foldVietnamese } from '../../shared/text';

export type Next = () => Promise<void>;
export type Middleware = (ctx: BotContext, next: Next) => Promise<void> | void;
export type TextMatcher = RegExp | ((foldedText: string, ctx: BotContext) => boolean);

export class Composer {
  private readonly stack: Middleware[] = [];

  use(mw: Middleware): this {
    this.stack.push(mw);
    return this;
  }

  /** Handles the named events only. */
  on(eventNames: string | string[], handler: Middleware): this {
    const names = new Set(Array.isArray(eventNames) ? eventNames : [eventNames]);
    return this.use((ctx, next) => (names.has(ctx.eventName) ? handler(ctx, next) : next()));
  }

  /** Handles user text matched on its folded form (lowercase, no diacritics). */
  hears(matcher: TextMatcher, handler: Middleware): this {
    return this.use((ctx, next) => {
      const text = ctx.text;
      if (ctx.eventName !== 'user_send_text' || text === undefined) return next();
      const folded = foldCommand(text);
      const hit = typeof matcher === 'function' ? matcher(folded, ctx) : matcher.test(folded);
      return hit ? handler(ctx, next) : next();
    });
  }

  async run(ctx: BotContext): Promise<void> {
    const dispatch = async (i: number): Promise<void> => {
      const mw = this.stack[i];
      if (!mw) return;
      await mw(ctx, () => dispatch(i + 1));
    };
    await dispatch(0);
  }
}

/** Folded form for command matching: lowercase, no diacritics, đ→d, no punctuation at the ends. */
export function foldCommand(text: string): string {
  return foldVietnamese(text).replace(/^[!?.,;:~\s]+|[!?.,;:~\s]+$/g, '');
}
