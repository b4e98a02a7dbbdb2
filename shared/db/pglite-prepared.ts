/**
 * A named prepared statement on PGlite, for a statement that runs with the same text many times a second
 * (the webhook inbox insert). PGlite's `query()` sends an unnamed Parse, Describe, Bind, Describe,
 * Execute and Sync as six calls into the WASM Postgres, which parses and plans the text every time: for
 * the inbox insert that is about two thirds of its CPU (bench/webhook.ts; docs/decisions.md). Prepared
 * once, Postgres keeps the statement and its plan, and each run is one call carrying Bind, Execute and
 * Sync. postgres.js already prepares every statement on PostgreSQL, so this is for PGlite only.
 *
 * It keeps `query()`'s guarantees: it waits for any open transaction and any running query (PGlite's
 * own two locks, taken in the same order), and syncs the data directory afterwards as `query()` does
 * outside a transaction. Parameters go as text and rows come back as text.
 */
import type { PGlite } from '@electric-sql/pglite';
import { protocol } from '@electric-sql/pglite';
import type { Db } from './client';

type DatabaseError = InstanceType<typeof protocol.messages.DatabaseError>;
type DataRowMessage = InstanceType<typeof protocol.messages.DataRowMessage>;

export type PreparedStatement = (params: (string | null)[]) => Promise<(string | null)[][]>;

/** The statement's name was lost (26000) or its plan's result type changed (0A000): prepare it again. */
const PREPARE_AGAIN = new Set(['26000', '0A000']);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A PGlite database's client, or undefined (PostgreSQL, or a transaction, which has no `$client`). */
function pgliteClient(db: Db): PGlite | undefined {
  const client = (db as unknown as { $client?: Partial<PGlite> }).$client;
  const uses = ['execProtocolStream', '_runExclusiveTransaction', '_runExclusiveQuery', '_checkReady', 'syncToFs'] as const;
  return client && uses.every((m) => typeof client[m] === 'function') ? (client as PGlite) : undefined;
}

/** Statement names live in the one PGlite session: one statement per client and name. */
const made = new WeakMap<PGlite, Map<string, { text: string; statement: PreparedStatement }>>();

/**
 * The statement on this database when it is PGlite (the same one for every caller using this name);
 * undefined on PostgreSQL. Not for use inside a transaction's callback: it waits for transactions to end.
 */
export function pglitePrepared(db: Db, name: string, text: string): PreparedStatement | undefined {
  const client = pgliteClient(db);
  if (!client) return undefined;
  let byName = made.get(client);
  if (!byName) made.set(client, (byName = new Map()));
  const known = byName.get(name);
  if (known && known.text !== text) throw new Error(`prepared statement ${name} already holds another text`);
  if (known) return known.statement;
  const statement = prepare(client, name, text);
  byName.set(name, { text, statement });
  return statement;
}

function prepare(client: PGlite, name: string, text: string): PreparedStatement {
  const { serialize } = protocol;
  let prepared = false;

  const run = async (params: (string | null)[]) => {
    const steps = [serialize.bind({ statement: name, values: params }), serialize.execute({}), serialize.sync()];
    // Close first (not an error when there is nothing to close): a statement of this name left from a
    // run whose answer was lost must not make every Parse fail as "already exists" (42P05).
    if (!prepared) steps.unshift(serialize.close({ type: 'S', name }), serialize.parse({ name, text, types: [] }));
    // Errors are read from the answer rather than thrown: a Parse that succeeded before a Bind failed has
    // still created the statement, and preparing it again would fail (42P05).
    const messages = await client.execProtocolStream(concat(steps), { syncToFs: false, throwOnError: false });
    const rows: (string | null)[][] = [];
    let failure: DatabaseError | undefined;
    for (const m of messages) {
      if (m.name === 'parseComplete') prepared = true;
      else if (m.name === 'dataRow') rows.push((m as DataRowMessage).fields);
      else if (m.name === 'error') failure ??= m as DatabaseError;
    }
    if (failure) throw failure;
    return rows;
  };

  const exclusive = <T>(work: () => Promise<T>) =>
    client._runExclusiveTransaction(() => client._runExclusiveQuery(work));

  return async (params) => {
    await client._checkReady();
    return exclusive(async () => {
      // Again under the locks: a close() that took them first has finished by now.
      await client._checkReady();
      let rows: (string | null)[][];
      try {
        rows = await run(params);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (!prepared || !code || !PREPARE_AGAIN.has(code)) {
          await client.syncToFs().catch(() => undefined);
          throw err;
        }
        prepared = false;
        rows = await run(params);
      }
      await client.syncToFs();
      return rows;
    });
  };
}
