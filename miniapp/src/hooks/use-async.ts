// Loads data for a screen: {data, error, loading, reload}. Ignores answers that arrive after unmount or a newer load.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

export function useAsync<T>(load: () => Promise<T>, deps: unknown[] = []): AsyncState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const seq = useRef(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);

  const reload = useCallback(() => {
    const id = ++seq.current;
    setState((s) => ({ ...s, error: undefined, loading: true }));
    run().then(
      (data) => {
        if (id === seq.current) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (id === seq.current) setState((s) => ({ data: s.data, error, loading: false }));
      },
    );
  }, [run]);

  // Bumping the sequence makes answers of an unmounted/replaced load be ignored.
  const invalidate = useCallback(() => {
    seq.current++;
  }, []);

  useEffect(() => {
    reload();
    return invalidate;
  }, [reload, invalidate]);

  return { ...state, reload };
}
