// Where the app runs: inside the Zalo host (real zmp-sdk) or a plain browser (demo mock).

/** Same rule as zmp-sdk's own `isMp`: the Zalo host serves mini-apps from h5.zdn.vn under /zapps. */
export function detectZalo(loc: Pick<Location, 'hostname' | 'pathname' | 'search'>): boolean {
  if (!loc.hostname.includes('h5.zdn.vn')) return false;
  return loc.pathname.startsWith('/zapps') || new URLSearchParams(loc.search).get('env') === 'TESTING_LOCAL';
}

export const IN_ZALO = typeof window !== 'undefined' && detectZalo(window.location);

/** Empty = same origin (the server serves the built app at /app). Inside Zalo set VITE_API_BASE at build time. */
export const API_BASE: string = (import.meta.env.VITE_API_BASE as string | undefined) ?? '';
