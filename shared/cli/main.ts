/** `npm run cli -- <command>`: operator commands that share the app's config and database. */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config';
import { openDatabase, DatabaseUnreachableError, type Database } from '../db/client';
import { DataDirLockedError } from '../db/data-dir-lock';
import { AppError } from '../errors';
import { commands } from './commands';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  db:migrate                                   apply pending migrations
  members:import <file.csv|file.xlsx>          import/update members (upsert by member code)
  officer:create --name <n> --branch <code> --role admin|officer|viewer [--phone <p>] [--member <code>]
                                               create an officer; prints the API token on the last line
  seed:demo                                    create the demo union (empty database only)
  ask "<question>"                             print the bot's reply to a message
`;

export interface CliContext {
  config: Config;
  openDb(): Promise<Database>;
  out(line: string): void;
  err(line: string): void;
}

async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const cmd = commands[name];
  if (!cmd) {
    process.stderr.write(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      return 1;
    }
    throw err;
  }
  const { values, positionals } = parseArgs({ args: rest, options: cmd.options ?? {}, allowPositionals: true, strict: true });
  const opened: Database[] = [];
  const ctx: CliContext = {
    config,
    openDb: async () => {
      const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, max: 4 });
      opened.push(db);
      await db.migrate();
      return db;
    },
    out: (l) => process.stdout.write(l + '\n'),
    err: (l) => process.stderr.write(l + '\n'),
  };
  try {
    return await cmd.run(ctx, values as Record<string, string | boolean | undefined>, positionals);
  } finally {
    for (const d of opened) await d.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof AppError || err instanceof DataDirLockedError || err instanceof DatabaseUnreachableError) {
      process.stderr.write(`Lỗi / error: ${err.message}\n`);
    } else if ((err as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
      process.exit(2);
    } else {
      process.stderr.write(`${(err as Error)?.stack ?? err}\n`);
    }
    process.exit(1);
  },
);
