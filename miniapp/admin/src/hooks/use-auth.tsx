// Signed-in officer for the whole console: loaded from /auth/me on start; sign-in/out update it.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, get, post, setCsrfToken, setUnauthorizedListener } from '../lib/api';
import type { Me, OfficerInfo, Role } from '../lib/types';

interface AuthState {
  me: Me | null;
  loading: boolean;
  signedIn(officer: OfficerInfo, csrfToken: string): void;
  signOut(): Promise<void>;
  can(min: Role): boolean;
}

const RANK: Record<Role, number> = { viewer: 0, officer: 1, admin: 2 };
const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let live = true;
    get<Me>('/auth/me')
      .then((m) => {
        if (!live) return;
        setCsrfToken(m.csrfToken);
        setMe(m);
      })
      .catch((err) => {
        if (!(err instanceof ApiError) || err.status !== 401) console.warn('auth check failed', err);
      })
      .finally(() => live && setLoading(false));
    setUnauthorizedListener(() => {
      setCsrfToken(null);
      setMe(null);
    });
    return () => {
      live = false;
      setUnauthorizedListener(null);
    };
  }, []);

  const signedIn = useCallback((officer: OfficerInfo, csrfToken: string) => {
    setCsrfToken(csrfToken);
    setMe({ officer, role: officer.role, csrfToken, expiresAt: null, demoMode: false });
    // Refresh to learn demo mode and expiry; the session is already usable.
    get<Me>('/auth/me')
      .then((m) => setMe(m))
      .catch(() => {});
  }, []);

  const signOut = useCallback(async () => {
    try {
      await post('/auth/logout');
    } finally {
      setCsrfToken(null);
      setMe(null);
    }
  }, []);

  const can = useCallback((min: Role) => (me ? RANK[me.role] >= RANK[min] : false), [me]);
  const value = useMemo(() => ({ me, loading, signedIn, signOut, can }), [me, loading, signedIn, signOut, can]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
