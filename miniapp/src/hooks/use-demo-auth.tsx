// Browser-only demo identity (outside Zalo): which sample user the demo token belongs to.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { IN_ZALO } from '../lib/env';
import { clearDemoIdentity, getDemoIdentity, getDemoToken, setDemoIdentity, type DemoIdentity } from '../lib/zalo';

interface DemoAuth {
  /** true outside Zalo: the demo sign-in and the "Đổi người dùng" link are shown. */
  enabled: boolean;
  token: string | null;
  identity: DemoIdentity | null;
  signIn: (identity: DemoIdentity) => void;
  signOut: () => void;
}

const DemoAuthContext = createContext<DemoAuth | null>(null);

export function DemoAuthProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => (IN_ZALO ? null : getDemoToken()));
  const [identity, setIdentity] = useState<DemoIdentity | null>(() => (IN_ZALO ? null : getDemoIdentity()));

  const signIn = useCallback((id: DemoIdentity) => {
    setDemoIdentity(id);
    setIdentity(id);
    setToken(getDemoToken());
  }, []);

  const signOut = useCallback(() => {
    clearDemoIdentity();
    setIdentity(null);
    setToken(null);
  }, []);

  const value = useMemo(
    () => ({ enabled: !IN_ZALO, token, identity, signIn, signOut }),
    [token, identity, signIn, signOut],
  );
  return <DemoAuthContext.Provider value={value}>{children}</DemoAuthContext.Provider>;
}

export function useDemoAuth(): DemoAuth {
  const ctx = useContext(DemoAuthContext);
  if (!ctx) throw new Error('useDemoAuth outside DemoAuthProvider');
  return ctx;
}
