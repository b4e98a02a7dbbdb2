/**
 * The revision of the seed files beside this one. Raise `number` and set `sha256` whenever an entry in
 * shared/qa/kb/*.json changes (test/unit/qa-kb.test.ts fails and prints the new digest until you do).
 * The database remembers the highest revision applied, so a process started from an older checkout —
 * an old web process restarting in the middle of a rolling deploy — leaves the knowledge base alone
 * instead of writing older text back.
 */
export const SEED_REVISION = {
  number: 1,
  sha256: 'a146e046bbd451800342274cafc9f6f72150fb5571bb3b83e04e6fc8a30dabd9',
} as const;
