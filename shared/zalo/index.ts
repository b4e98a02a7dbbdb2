/** Public API of the Zalo client: import from 'shared/zalo', not from the files. */
export {
  ZaloApiError,
  ZaloHttpError,
  ZaloErrorCode,
  classifyZaloError,
  describeZaloError,
  describeZaloFailure,
  isZaloError,
  type ZaloError,
  type ZaloErrorKind,
  type ZaloErrorClass,
  type ZaloFailureInfo,
} from './errors';
export { parseWebhookJson, parseZaloJson, quoteLongIds, isIdLikeKey } from './json';
export {
  WEBHOOK_SIGNATURE_HEADER,
  computeWebhookSignature,
  verifyWebhookSignature,
  readSignedFields,
} from './signature';
export * from './types';
export {
  textMessage,
  buttonsMessage,
  button,
  imageMessage,
  requestUserInfoMessage,
  transactionMessage,
  promotionMessage,
  splitText,
  type TemplateLine,
  type TemplateMessageInput,
} from './messages';
export {
  TokenManager,
  MemoryTokenStore,
  DEFAULT_REFRESH_MARGIN_MS,
  type TokenPair,
  type TokenStore,
  type RefreshFn,
  type TokenManagerOptions,
} from './tokens';
export { DbTokenStore, seedTokens, replaceTokens, getStoredTokens, UNKNOWN_EXPIRY } from './token-store-db';
export {
  createZaloClient,
  type ZaloClient,
  type ZaloClientOptions,
  type SendResult,
  type ZaloQuota,
  type ZaloUserProfile,
  type ZaloSharedInfo,
  type MiniAppUser,
} from './client';
