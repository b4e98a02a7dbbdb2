/**
 * Prometheus metrics (prom-client), one registry per process. Counters are bumped where things happen;
 * gauges that need a query (inbox lag, queue depth) are collected when /metrics is scraped.
 */
import client from 'prom-client';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

export const webhookLatency = new client.Histogram({
  name: 'congdoan_webhook_ack_seconds',
  help: 'Time to acknowledge a Zalo webhook request',
  labelNames: ['status'] as const,
  buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2],
  registers: [registry],
});

export const inboxProcessed = new client.Counter({
  name: 'congdoan_inbox_events_total',
  help: 'Webhook events processed from the inbox, by result',
  labelNames: ['result'] as const,
  registers: [registry],
});

export const zaloSends = new client.Counter({
  name: 'congdoan_zalo_sends_total',
  help: 'Messages sent to Zalo, by message kind and result',
  labelNames: ['kind', 'result'] as const,
  registers: [registry],
});

export const zaloErrors = new client.Counter({
  name: 'congdoan_zalo_errors_total',
  help: 'Zalo API errors by code',
  labelNames: ['code'] as const,
  registers: [registry],
});

export const tokenRefreshes = new client.Counter({
  name: 'congdoan_zalo_token_refreshes_total',
  help: 'OA access-token refreshes performed by this process',
  registers: [registry],
});

export function gauge(name: string, help: string, collect: () => Promise<number>) {
  return new client.Gauge({
    name,
    help,
    registers: [registry],
    async collect() {
      try {
        this.set(await collect());
      } catch {
        /* a failed collection leaves the last value */
      }
    },
  });
}
