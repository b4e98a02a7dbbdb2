import type { ZaloWebhookEvent, UnknownWebhookEvent } from '../../shared/zalo';

export type AnyWebhookEvent = ZaloWebhookEvent | UnknownWebhookEvent;
