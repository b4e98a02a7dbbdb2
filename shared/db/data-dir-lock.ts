/**
 * Exclusive lock on the PGlite data folder. PGlite itself does not lock, and two processes writing one
 * folder silently corrupt it, so the first process writes its pid into `<dir>/.congdoan.lock` with O_EXCL;
 * a later process refuses while that pid is alive, and takes over a lock left by a dead process.
 */
import fs from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {
  constructor(
    public readonly dir: string,
    public readonly holderPid: number,
  ) {
    super(
      `Thư mục dữ liệu ${dir} đang được tiến trình ${holderPid} sử dụng (PGlite chỉ cho một tiến trình).\n` +
        `The embedded database in ${dir} is in use by process ${holderPid}. PGlite allows one process per folder: ` +
        `stop that process first, use another DATA_DIR, or set DATABASE_URL to a PostgreSQL server ` +
        `(needed to run start:web and start:worker separately).`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dir: string): DataDirLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, '.congdoan.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return { release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
      if (Number.isFinite(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new DataDirLockedError(dir, holder);
      }
      // Stale lock from a dead process (or unreadable): remove and retry.
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock data folder ${dir}`);
}
