/** Public surface of the Vietnamese Q&A engine (normalizer, KB seed, retrieval/answering, optional LLM). */
export { kbSeedEntrySchema, type KbEntry, type KbSeedEntry } from './kb-schema';
export { loadSeedKb, parseSeedEntries, KbSeedError, SEED_KB_DIR } from './kb';
export { normalizeText, syllables, tokenize, BIGRAM_JOINER } from './normalize';
export {
  createQaEngine,
  DEFAULT_STARTER_SLUGS,
  formatAnswerText,
  HANDOFF_PAYLOAD,
  QA_FIELD_BOOST,
  QA_THRESHOLDS,
  type QaAnswer,
  type QaButton,
  type QaEngine,
  type QaEngineOptions,
  type QaHit,
} from './engine';
export { detectSmalltalk, isHandoffRequest, isOffTopic, looksPersonalCase, type SmalltalkKind } from './intents';
export {
  createLlmRephraser,
  hasOnlyGroundedNumbers,
  LLM_SYSTEM_PROMPT,
  rephraseAnswer,
  type LlmConfig,
  type LlmRephraser,
} from './llm';
export { QA_TEXT } from './strings';
