/**
 * Operations: GET /metrics (Prometheus) and the webhook silence watch. Zalo disables a webhook that keeps
 * failing, so long silence while the OA has linked followers is an alarm: an error log line once per
 * period and a flag the console shows as a banner (GET /api/admin/ops/status).
 */
import { Router } from 'express';
import { count, isNotNull, max, eq } from 'drizzle-orm';
import type { Db } from '../shared/db/client';
import type { Logger } from '../shared/logger';
import type { Clock } from '../shared/clock';
import type { QueueDriver } from '../shared/queue';
import { members, webhookInbox } from '../shared/db/schema';
import { gauge, registry } from '../shared/metrics';

export function metricsRouter(deps: { db: Db; queue: QueueDriver; queueNames: string[] }): Router {
  const r = Router();
  // Gauges are created once per process (prom-client registries reject duplicates).
  if (!registry.getSingleMetric('congdoan_inbox_pending')) {
    gauge('congdoan_inbox_pending', 'Webhook events waiting in the inbox', async () => {
      const [row] = await deps.db.select({ n: count() }).from(webhookInbox).where(eq(webhookInbox.status, 'pending'));
      return Number(row.n);
    });
    gauge('congdoan_inbox_lag_seconds', 'Age of the oldest pending webhook event', async () => {
      const [row] = await deps.db.select({ oldest: max(webhookInbox.receivedAt) }).from(webhookInbox).where(eq(webhookInbox.status, 'pending'));
      return row.oldest ? (Date.now() - new Date(row.oldest).getTime()) / 1000 : 0;
    });
    for (const name of deps.queueNames) {
      gauge(`congdoan_queue_${name}_depth`, `Jobs waiting or delayed in the ${name} queue`, async () => {
        const c = await deps.queue.queue(name).counts();
        return c.waiting + c.delayed + c.active;
      });
    }
  }
  r.get('/metrics', async (_req, res) => {
    res.set('content-type', registry.contentType).send(await registry.metrics());
  });
  return r;
}

export interface WebhookWatch {
  status(): { silent: boolean; lastWebhookAt: string | null; silenceMs: number };
  check(): Promise<void>;
  close(): void;
}

export function createWebhookWatch(deps: { db: Db; logger: Logger; clock: Clock; silenceMs: number; intervalMs?: number }): WebhookWatch {
  let silent = false;
  let last: Date | null = null;
  let alarmedAt = 0;
  async function check() {
    const [{ at }] = await deps.db.select({ at: max(webhookInbox.receivedAt) }).from(webhookInbox);
    const [{ n }] = await deps.db.select({ n: count() }).from(members).where(isNotNull(members.zaloUserId));
    last = at ? new Date(at) : null;
    const now = deps.clock.now().getTime();
    const quietFor = last ? now - last.getTime() : Infinity;
    silent = Number(n) > 0 && last !== null && quietFor > deps.silenceMs;
    if (silent && now - alarmedAt > deps.silenceMs) {
      alarmedAt = now;
      deps.logger.error(
        { alarm: 'webhook_silence', lastWebhookAt: last?.toISOString(), quietMinutes: Math.round(quietFor / 60000) },
        'ALARM: no Zalo webhooks received for a long time while the OA has linked followers; check the webhook URL and its status in the Zalo developer console',
      );
    }
  }
  const timer = setInterval(() => void check().catch(() => {}), deps.intervalMs ?? 60_000);
  timer.unref();
  void check().catch(() => {});
  return {
    status: () => ({ silent, lastWebhookAt: last?.toISOString() ?? null, silenceMs: deps.silenceMs }),
    check,
    close: () => clearInterval(timer),
  };
}
