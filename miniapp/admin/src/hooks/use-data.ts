// Small data hooks: load on mount / when deps change, optional polling, manual reload.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../lib/api';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

export function useData<T>(load: (() => Promise<T>) | null, deps: unknown[], pollMs?: number): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(Boolean(load));
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const fn = loadRef.current;
    if (!fn) {
      setData(null);
      setLoading(false);
      return;
    }
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = (first: boolean) => {
      if (first) setLoading(true);
      fn()
        .then((d) => {
          if (!live) return;
          setData(d);
          setError(null);
        })
        .catch((e) => live && setError(errorText(e)))
        .finally(() => {
          if (!live) return;
          setLoading(false);
          if (pollMs) timer = setTimeout(() => run(false), pollMs);
        });
    };
    run(true);
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick, pollMs]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
