/**
 * The context passed through the bot's handlers for one webhook event (grammY-style): who sent it,
 * their member record when linked, a reply helper, and conversation state persisted in `conversations`.
 */
import type { Db } from '../../shared/db/client';
import type { Member } from '../../shared/db/queries/members';
import type { Logger } from '../../shared/logger';
import type { Clock } from '../../shared/clock';
import type { Config } from '../../shared/config';
import type { ZaloButton, ZaloClient, ZaloMessage } from '../../shared/zalo';
import { buttonsMessage, splitText, textMessage } from '../../shared/zalo';
import type { AnyWebhookEvent } from './types';

/** Multi-step flow state; `flow` names the feature that owns the next text message. */
export interface ConversationState {
  flow?: string;
  step?: string;
  data?: Record<string, unknown>;
  /** The last question the user asked that the bot could not answer (offered to an officer). */
  lastQuestion?: string;
}

export interface BotServices {
  db: Db;
  zalo: ZaloClient;
  logger: Logger;
  clock: Clock;
  config: Config;
}

export class BotContext {
  /** Replies sent while handling this event (tests and the CLI `ask` read them). */
  readonly replies: ZaloMessage[] = [];
  private stateDirty = false;

  constructor(
    readonly services: BotServices,
    readonly event: AnyWebhookEvent,
    readonly userId: string | null,
    public member: Member | undefined,
    private _state: ConversationState,
    private readonly send: (userId: string, message: ZaloMessage) => Promise<void>,
  ) {}

  get eventName(): string {
    return this.event.event_name;
  }

  /** Message text for user_send_text events (trimmed), else undefined. */
  get text(): string | undefined {
    const t = (this.event as { message?: { text?: unknown } }).message?.text;
    return typeof t === 'string' ? t.trim() : undefined;
  }

  get state(): ConversationState {
    return this._state;
  }

  setState(next: ConversationState) {
    this._state = next;
    this.stateDirty = true;
  }

  patchState(patch: Partial<ConversationState>) {
    this.setState({ ...this._state, ...patch });
  }

  clearFlow() {
    const { lastQuestion } = this._state;
    this.setState(lastQuestion ? { lastQuestion } : {});
  }

  get isStateDirty() {
    return this.stateDirty;
  }

  /** Replies as a `cs` message; long texts go out as several parts, the buttons on the last one. */
  async reply(message: string | ZaloMessage, buttons?: ZaloButton[]): Promise<void> {
    if (!this.userId) return;
    const msgs: ZaloMessage[] = [];
    if (typeof message === 'string') {
      const parts = splitText(message);
      parts.forEach((part, i) => {
        const last = i === parts.length - 1;
        msgs.push(last && buttons?.length ? buttonsMessage(part, buttons) : textMessage(part));
      });
    } else msgs.push(message);
    for (const msg of msgs) {
      this.replies.push(msg);
      await this.send(this.userId, msg);
    }
  }
}
