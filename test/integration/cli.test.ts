/** The CLI as an operator runs it: real processes on a fresh PGlite data folder. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

async function cli(args: string[], env: Record<string, string>) {
  try {
    const r = await run(TSX, ['shared/cli/main.ts', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'silent', ...env } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err: any) {
    return { code: err.code as number, stdout: err.stdout as string, stderr: err.stderr as string };
  }
}

describe('npm run cli', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-cli-'));
  const env = { DATA_DIR: dataDir };

  it('imports a CSV, creates an officer with a token on the last line, and explains bad input', async () => {
    const csv = path.join(dataDir, 'members.csv');
    fs.writeFileSync(csv, 'Mã đoàn viên,Họ và tên,Ngày sinh,Mã đơn vị\nA1,Nguyễn Văn A,01/01/1990,CDCS-X\nA2,Trần Thị B,1991-02-30,CDCS-X\n');
    const imp = await cli(['members:import', csv], env);
    expect(imp.code).toBe(0);
    expect(imp.stdout).toMatch(/created: 1/);
    expect(imp.stdout).toMatch(/rejected: 1/);
    expect(imp.stdout).toMatch(/row 3 \(A2\): ngày sinh/);

    const off = await cli(['officer:create', '--name', 'Cán bộ Một', '--branch', 'CDCS-X', '--role', 'officer'], env);
    expect(off.code).toBe(0);
    const lines = off.stdout.trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^cdv_[A-Za-z0-9_-]{20,}$/);

    const badBranch = await cli(['officer:create', '--name', 'X', '--branch', 'NOPE', '--role', 'admin'], env);
    expect(badBranch.code).toBe(1);
    expect(badBranch.stderr).toMatch(/NOPE/);

    const badFile = await cli(['members:import', path.join(dataDir, 'missing.csv')], env);
    expect(badFile.code).toBe(1);
    expect(badFile.stderr).toMatch(/not found/);

    const unknown = await cli(['frobnicate'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command/);
  }, 240000);

  it('names the variable when the configuration is invalid', async () => {
    const r = await cli(['db:migrate'], { ...env, BROADCAST_RATE: 'fast' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/BROADCAST_RATE/);
  }, 30000);

  it('exits non-zero naming the host when DATABASE_URL is unreachable', async () => {
    const r = await cli(['db:migrate'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nope' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/127\.0\.0\.1:1/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 30000);
});
