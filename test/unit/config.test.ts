import { ConfigError, parseConfig } from '../../shared/config';

describe('config', () => {
  it('uses embedded defaults and demo mode with an empty environment', () => {
    const c = parseConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.dataDir).toMatch(/data$/);
    expect(c.demoMode).toBe(true);
    expect(c.broadcastRate).toBe(20);
    expect(c.zalo.openapiUrl).toBe('https://openapi.zalo.me');
    expect(c.zalo.oauthUrl).toBe('https://oauth.zaloapp.com');
    expect(c.zalo.graphUrl).toBe('https://graph.zalo.me');
  });

  it('leaves demo mode when either OA token is set', () => {
    expect(parseConfig({ ZALO_OA_ACCESS_TOKEN: 'a' }).demoMode).toBe(false);
    expect(parseConfig({ ZALO_OA_REFRESH_TOKEN: 'r' }).demoMode).toBe(false);
  });

  it('runs the webhook silence watch outside demo mode (6 h), in demo mode only when WEBHOOK_SILENCE_MINUTES is set', () => {
    expect(parseConfig({}).webhookSilenceMs).toBeNull();
    expect(parseConfig({ ZALO_OA_ACCESS_TOKEN: 'a' }).webhookSilenceMs).toBe(6 * 3600_000);
    expect(parseConfig({ ZALO_OA_ACCESS_TOKEN: 'a', WEBHOOK_SILENCE_MINUTES: '90' }).webhookSilenceMs).toBe(90 * 60_000);
    expect(parseConfig({ WEBHOOK_SILENCE_MINUTES: '0.05' }).webhookSilenceMs).toBe(3000);
    expect(() => parseConfig({ WEBHOOK_SILENCE_MINUTES: '0' })).toThrow(/WEBHOOK_SILENCE_MINUTES/);
  });

  it('names the variable when a value is bad', () => {
    expect(() => parseConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => parseConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => parseConfig({ BROADCAST_RATE: '-1' })).toThrow(/BROADCAST_RATE/);
    expect(() => parseConfig({ ZALO_OPENAPI_URL: 'not a url' })).toThrow(/ZALO_OPENAPI_URL/);
    expect(() => parseConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL/);
    expect(() => parseConfig({ WEBHOOK_FLOOD_LIMIT_PER_MINUTE: '0' })).toThrow(/WEBHOOK_FLOOD_LIMIT_PER_MINUTE/);
  });

  it('caps webhooks per address at 60,000 a minute unless WEBHOOK_FLOOD_LIMIT_PER_MINUTE says otherwise', () => {
    expect(parseConfig({}).webhookFloodLimitPerMinute).toBe(60_000);
    expect(parseConfig({ WEBHOOK_FLOOD_LIMIT_PER_MINUTE: '500' }).webhookFloodLimitPerMinute).toBe(500);
  });

  it('treats empty strings as unset and strips trailing slashes from URLs', () => {
    const c = parseConfig({ DATABASE_URL: '', ZALO_OPENAPI_URL: 'http://127.0.0.1:9/' });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.zalo.openapiUrl).toBe('http://127.0.0.1:9');
  });

  it('is frozen', () => {
    const c = parseConfig({});
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.zalo)).toBe(true);
  });
});
