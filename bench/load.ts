/**
 * The load generator, run as its own process by `runLoad` (bench/lib.ts): autocannon and the request
 * bodies (signing, JSON) then cost the server under test nothing — on a 2-core machine, generating
 * load in the server's own event loop halves what the server can do, and Zalo signs on its own servers.
 * Input: one JSON argument (LoadSpec). Output: one JSON line (LoadResult).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import autocannon from 'autocannon';
import { computeWebhookSignature } from '../shared/zalo';
import type { LoadResult, LoadSpec } from './lib';

function webhookBody(signed?: { appId: string; secret: string }) {
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
  return { body, headers };
}

async function main() {
  const spec = JSON.parse(process.argv[2]) as LoadSpec;
  const bodies: string[] = spec.bodiesFile ? JSON.parse(fs.readFileSync(spec.bodiesFile, 'utf8')) : [];
  let i = 0;
  const r = await autocannon({
    url: spec.url,
    method: 'POST',
    connections: spec.connections,
    ...(spec.amount ? { amount: spec.amount } : { duration: spec.seconds ?? 10 }),
    headers: { 'content-type': 'application/json', ...(spec.headers ?? {}) },
    requests: [
      {
        setupRequest: (req) =>
          spec.webhook ? { ...req, ...webhookBody(spec.webhook.signed) } : { ...req, body: bodies[i++ % Math.max(1, bodies.length)] },
      },
    ],
  });
  const out: LoadResult = {
    average: r.requests.average,
    total: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: r['2xx'],
    non2xx: r.non2xx,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
