/**
 * Long work in a process that also answers Zalo's webhooks must let them in between steps. On PGlite an
 * awaited query settles without any I/O, so even a loop of awaited queries runs as one chain of
 * microtasks and starves timers and sockets (a 200,000-row export held the process for 12 s).
 */

/** Resolves on the next turn of the event loop, after pending I/O and timers have run. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
