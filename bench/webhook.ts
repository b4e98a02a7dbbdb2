/**
 * Webhook throughput: signed `user_send_text` posts into the real app (verify → parse → inbox insert → 200)
 * vs. a bare Express app answering 200, in one run; the load comes from a separate process (bench/load.ts). Prints both, the ratio and ack latency. Target ≥ 0.70, p99 < 20 ms.
 *   npm run bench:webhook -- [--seconds 10] [--connections 20]
 */
import express from 'express';
import { webhookInbox } from '../shared/db/schema';
import { startFakeZalo } from '../test/fakes/fake-zalo';
import { createTestApp, fakeZaloEnv } from '../test/helpers/app';
import { listen } from '../test/helpers/server';
import { args, benchDatabase, fmt, runLoad, type LoadResult, runBench } from './lib';

type Run = LoadResult & { cpuUs: number };

const WARM_UP_SECONDS = 2;

/**
 * One load run, with this process's CPU time per answered request: on a shared 2-core machine the
 * req/s figures swing ±15% from run to run, the CPU cost per request much less. Only the server under
 * load is busy in this process meanwhile (the load generator is a child process).
 */
async function run(url: string, seconds: number, connections: number, signed?: { appId: string; secret: string }) {
  const before = process.cpuUsage();
  const r = await runLoad({ url, seconds, connections, webhook: { signed } });
  const cpu = process.cpuUsage(before);
  return { ...r, cpuUs: (cpu.user + cpu.system) / Math.max(1, r.total) };
}

async function main() {
  const a = args({ seconds: { type: 'string' }, connections: { type: 'string' } });
  const seconds = Number(a.seconds ?? 10);
  const connections = Number(a.connections ?? 20);

  const bare = express();
  bare.post('/webhook/zalo', express.raw({ type: () => true }), (_req, res) => void res.status(200).json({ ok: true }));
  const bareSrv = await listen(bare);

  const fake = await startFakeZalo();
  const database = await benchDatabase('webhook');
  const t = await createTestApp({ env: { ...fakeZaloEnv(fake), LOG_LEVEL: 'silent' }, database });
  const appSrv = await listen(t.app);

  const signed = { appId: fake.appId, secret: fake.oaSecretKey };
  // Each server first gets a short unmeasured run, so both are measured with their code compiled
  // (JIT) rather than the larger app paying its warm-up inside the measured seconds.
  await run(`${bareSrv.url}/webhook/zalo`, WARM_UP_SECONDS, connections);
  const rBare = await run(`${bareSrv.url}/webhook/zalo`, seconds, connections);
  // Ack path alone: events are stored, the inbox processor is held back.
  const nudge = t.inbox.nudge;
  t.inbox.nudge = () => {};
  await run(`${appSrv.url}/webhook/zalo`, WARM_UP_SECONDS, connections, signed);
  const rAck = await run(`${appSrv.url}/webhook/zalo`, seconds, connections, signed);
  t.inbox.nudge = nudge;
  // The ack run's events are not answered: the whole-system run starts from an empty inbox.
  await t.db.delete(webhookInbox);
  // Whole system: every stored event is also answered (Q&A + send to the fake Zalo) by the same process.
  const rFull = await run(`${appSrv.url}/webhook/zalo`, seconds, connections, signed);
  const line = (label: string, r: Run) =>
    `  ${label.padEnd(26)} ${fmt(r.average, 0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  non-2xx ${r.non2xx}  ratio ${fmt(r.average / rBare.average, 2)}  CPU ${fmt(r.cpuUs, 0)} µs/req (ratio ${fmt(rBare.cpuUs / r.cpuUs, 2)})`;
  console.log(`Webhook bench (${database.kindLabel}, ${connections} connections, ${seconds} s each)`);
  console.log(`  ${'bare express'.padEnd(26)} ${fmt(rBare.average, 0).padStart(6)} req/s  p50 ${rBare.p50} ms  p99 ${rBare.p99} ms  CPU ${fmt(rBare.cpuUs, 0)} µs/req`);
  console.log(line('/webhook/zalo (ack only)', rAck));
  console.log(line('/webhook/zalo (+answering)', rFull));
  console.log('  targets: ratio ≥ 0.70 of bare express, ack p99 < 20 ms');
  console.log(`  CPU: of this process only${database.kindLabel === 'PostgreSQL' ? " (the PostgreSQL server's work is not in it)" : ' (PGlite runs inside it)'}`);

  await appSrv.close();
  await bareSrv.close();
  await t.close();
  await fake.close();
}

runBench(main);
