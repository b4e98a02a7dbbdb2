/**
 * Webhook throughput: signed `user_send_text` posts into the real app (verify → parse → inbox insert → 200)
 * vs. a bare Express app answering 200, in one run. Prints both, the ratio and ack latency. Target ≥ 0.70, p99 < 20 ms.
 *   npm run bench:webhook -- [--seconds 10] [--connections 20]
 */
import crypto from 'node:crypto';
import express from 'express';
import autocannon from 'autocannon';
import { computeWebhookSignature } from '../shared/zalo';
import { startFakeZalo } from '../test/fakes/fake-zalo';
import { createTestApp, fakeZaloEnv } from '../test/helpers/app';
import { listen } from '../test/helpers/server';
import { args, benchDatabase, fmt } from './lib';

async function run(url: string, seconds: number, connections: number, signed?: { appId: string; secret: string }) {
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => {
          const ts = String(Date.now());
          const body = JSON.stringify({
            app_id: signed?.appId ?? 'bare',
            user_id_by_app: '5123456789012345678',
            event_name: 'user_send_text',
            timestamp: ts,
            sender: { id: `7${crypto.randomInt(1e9, 9.99e9)}${crypto.randomInt(1e8, 9.99e8)}` },
            recipient: { id: '1414213562373095048' },
            message: { msg_id: crypto.randomBytes(16).toString('hex'), text: 'luong toi thieu vung 1 2026' },
          });
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (signed) headers['x-zevent-signature'] = computeWebhookSignature(signed.appId, body, ts, signed.secret);
          return { ...req, body, headers };
        },
      },
    ],
  });
  return result;
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
  const rBare = await run(`${bareSrv.url}/webhook/zalo`, seconds, connections);
  // Ack path alone: events are stored, the inbox processor is held back.
  const nudge = t.inbox.nudge;
  t.inbox.nudge = () => {};
  const rAck = await run(`${appSrv.url}/webhook/zalo`, seconds, connections, signed);
  t.inbox.nudge = nudge;
  // Whole system: every stored event is also answered (Q&A + send to the fake Zalo) by the same process.
  const rFull = await run(`${appSrv.url}/webhook/zalo`, seconds, connections, signed);
  const line = (label: string, r: autocannon.Result) =>
    `  ${label.padEnd(26)} ${fmt(r.requests.average, 0).padStart(6)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  non-2xx ${r.non2xx}  ratio ${fmt(r.requests.average / rBare.requests.average, 2)}`;
  console.log(`Webhook bench (${database.kindLabel}, ${connections} connections, ${seconds} s each)`);
  console.log(`  ${'bare express'.padEnd(26)} ${fmt(rBare.requests.average, 0).padStart(6)} req/s  p50 ${rBare.latency.p50} ms  p99 ${rBare.latency.p99} ms`);
  console.log(line('/webhook/zalo (ack only)', rAck));
  console.log(line('/webhook/zalo (+answering)', rFull));
  console.log('  targets: ratio ≥ 0.70 of bare express, ack p99 < 20 ms');

  await appSrv.close();
  await bareSrv.close();
  await t.close();
  await fake.close();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
