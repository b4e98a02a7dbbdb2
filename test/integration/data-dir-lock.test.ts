import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataDirLockedError, lockDataDir } from '../../shared/db/data-dir-lock';

describe('PGlite data folder lock', () => {
  it('refuses a second process while the first holds the folder, and takes over after it died', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-lock-'));
    const holder = spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(path.join(dir, '.congdoan.lock'))}, String(process.pid)); setTimeout(()=>{}, 60000)`]);
    const lockFile = path.join(dir, '.congdoan.lock');
    for (let i = 0; i < 200 && !(fs.existsSync(lockFile) && fs.readFileSync(lockFile, 'utf8').length > 0); i++) await new Promise((r) => setTimeout(r, 25));
    try {
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dir)).toThrow(new RegExp(`${holder.pid}.*DATABASE_URL|DATABASE_URL`, 's'));
    } finally {
      holder.kill('SIGKILL');
    }
    await new Promise((r) => holder.once('exit', r));
    const lock = lockDataDir(dir); // stale lock of a dead process is taken over
    expect(fs.readFileSync(path.join(dir, '.congdoan.lock'), 'utf8')).toBe(String(process.pid));
    lock.release();
    expect(fs.existsSync(path.join(dir, '.congdoan.lock'))).toBe(false);
  });
});
