// Who is using the app: loads /me once, and drops back to the linking screen whenever any call says NOT_LINKED.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, api, onApiError } from '../lib/api';
import type { Me } from '../lib/types';

export type Session =
  | { state: 'loading' }
  | { state: 'ready'; me: Me }
  | { state: 'not_linked' }
  | { state: 'error'; error: unknown };

interface SessionContextValue {
  session: Session;
  refresh: () => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({ state: 'loading' });
  const seq = useRef(0);

  const refresh = useCallback(() => {
    const id = ++seq.current;
    setSession({ state: 'loading' });
    api.me().then(
      (me) => id === seq.current && setSession({ state: 'ready', me }),
      (error: unknown) => {
        if (id !== seq.current) return;
        if (error instanceof ApiError && error.code === 'NOT_LINKED') setSession({ state: 'not_linked' });
        else setSession({ state: 'error', error });
      },
    );
  }, []);

  useEffect(() => {
    refresh();
  }, [refresh]);

  useEffect(
    () =>
      onApiError((err) => {
        if (err.code === 'NOT_LINKED') setSession((s) => (s.state === 'ready' ? { state: 'not_linked' } : s));
      }),
    [],
  );

  const value = useMemo(() => ({ session, refresh }), [session, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** The linked member; only valid under the "ready" branch of the app shell. */
export function useMe(): Me {
  const { session } = useSession();
  if (session.state !== 'ready') throw new Error('useMe before the session is ready');
  return session.me;
}
