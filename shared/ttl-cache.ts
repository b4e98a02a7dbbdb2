/**
 * A small per-process read-through cache for hot lookups that may be a few seconds stale (an officer's
 * branch subtree, an API token's officer): each key's value is reused for `ttlMs`, concurrent callers
 * share one pending load, and a failed load is forgotten at once.
 */
export function ttlCache<K, V>(ttlMs: number, load: (key: K) => Promise<V>, maxKeys = 10_000): (key: K) => Promise<V> {
  const entries = new Map<K, { at: number; value: Promise<V> }>();
  return (key: K) => {
    const hit = entries.get(key);
    if (hit && Date.now() - hit.at < ttlMs) return hit.value;
    if (entries.size >= maxKeys) entries.clear();
    const entry = { at: Date.now(), value: load(key) };
    entries.set(key, entry);
    entry.value.catch(() => entries.get(key) === entry && entries.delete(key));
    return entry.value;
  };
}
