// Officer check-ins with an offline queue: a scan that fails with a network error is stored and
// resent (same scanId) when the browser comes back online and every 10 s, from any tab of the app.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, errorMessage } from '../lib/api';
import { isOfflineError, isTransientError, loadQueue, newScanId, saveQueue, type QueuedScan } from '../lib/scan-queue';
import type { OfficerCheckinResult } from '../lib/types';

export const RETRY_INTERVAL_MS = 10_000;

export type ScanOutcome =
  | { kind: 'checked_in' | 'already_checked_in'; result: OfficerCheckinResult }
  | { kind: 'rejected'; message: string }
  | { kind: 'queued'; scanId: string };

export interface SyncNotice {
  kind: 'synced' | 'rejected';
  text: string;
}

interface OfficerSync {
  pending: QueuedScan[];
  syncing: boolean;
  /** Bumped whenever queued scans reached the server, so screens can reload counts. */
  syncedVersion: number;
  lastNotice: SyncNotice | null;
  /** What the server finally said about scans that were queued (by scanId), for this session. */
  resolved: Record<string, ScanOutcome>;
  submitScan: (eventId: string, memberQr: string) => Promise<ScanOutcome>;
  flush: () => Promise<void>;
}

const OfficerSyncContext = createContext<OfficerSync | null>(null);

export function OfficerSyncProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<QueuedScan[]>([]);
  const [syncing, setSyncing] = useState(false);
  const [syncedVersion, setSyncedVersion] = useState(0);
  const [lastNotice, setLastNotice] = useState<SyncNotice | null>(null);
  const [resolved, setResolved] = useState<Record<string, ScanOutcome>>({});
  const queue = useRef<QueuedScan[]>([]);
  const loaded = useRef<Promise<void> | null>(null);
  const flushing = useRef<Promise<void> | null>(null);
  const writes = useRef<Promise<void>>(Promise.resolve());

  // Write-through: memory is the truth, storage writes are serialized so the last state wins.
  const commit = useCallback((next: QueuedScan[]) => {
    queue.current = next;
    setPending(next);
    writes.current = writes.current.then(() => saveQueue(next)).catch(() => undefined);
  }, []);

  const ensureLoaded = useCallback(() => {
    if (!loaded.current) {
      loaded.current = loadQueue().then((stored) => {
        const known = new Set(queue.current.map((q) => q.scanId));
        commit([...stored.filter((s) => !known.has(s.scanId)), ...queue.current]);
      });
    }
    return loaded.current;
  }, [commit]);

  const flush = useCallback((): Promise<void> => {
    if (flushing.current) return flushing.current;
    const run = (async () => {
      await ensureLoaded();
      if (queue.current.length === 0) return;
      setSyncing(true);
      let synced = 0;
      let rejected = 0;
      try {
        for (const item of [...queue.current]) {
          try {
            const result = await api.officerCheckin(item.eventId, { memberQr: item.memberQr, scanId: item.scanId });
            commit(queue.current.filter((q) => q.scanId !== item.scanId));
            synced++;
            setResolved((r) => ({ ...r, [item.scanId]: { kind: result.status, result } }));
          } catch (err) {
            if (isOfflineError(err)) break; // still offline: keep the rest for the next round
            if (isTransientError(err)) continue; // keep it, try the next one
            commit(queue.current.filter((q) => q.scanId !== item.scanId));
            rejected++;
            setResolved((r) => ({ ...r, [item.scanId]: { kind: 'rejected', message: errorMessage(err) } }));
          }
        }
      } finally {
        setSyncing(false);
        if (synced > 0) setSyncedVersion((v) => v + 1);
        if (synced > 0 || rejected > 0) {
          setLastNotice({
            kind: rejected > 0 ? 'rejected' : 'synced',
            text:
              `Đã đồng bộ ${synced} lượt quét` + (rejected > 0 ? `, ${rejected} lượt bị máy chủ từ chối (xem bên dưới)` : ''),
          });
        }
      }
    })();
    flushing.current = run.finally(() => {
      flushing.current = null;
    });
    return flushing.current;
  }, [commit, ensureLoaded]);

  const submitScan = useCallback(
    async (eventId: string, memberQr: string): Promise<ScanOutcome> => {
      const scan: QueuedScan = { scanId: newScanId(), eventId, memberQr, queuedAt: new Date().toISOString() };
      try {
        const result = await api.officerCheckin(eventId, { memberQr, scanId: scan.scanId });
        return { kind: result.status, result };
      } catch (err) {
        if (isOfflineError(err)) {
          await ensureLoaded();
          commit([...queue.current, scan]);
          return { kind: 'queued', scanId: scan.scanId };
        }
        return { kind: 'rejected', message: errorMessage(err) };
      }
    },
    [commit, ensureLoaded],
  );

  useEffect(() => {
    void flush();
    const onOnline = () => void flush();
    window.addEventListener('online', onOnline);
    const timer = setInterval(() => {
      if (queue.current.length > 0) void flush();
    }, RETRY_INTERVAL_MS);
    return () => {
      window.removeEventListener('online', onOnline);
      clearInterval(timer);
    };
  }, [flush]);

  const value = useMemo(
    () => ({ pending, syncing, syncedVersion, lastNotice, resolved, submitScan, flush }),
    [pending, syncing, syncedVersion, lastNotice, resolved, submitScan, flush],
  );
  return <OfficerSyncContext.Provider value={value}>{children}</OfficerSyncContext.Provider>;
}

export function useOfficerSync(): OfficerSync {
  const ctx = useContext(OfficerSyncContext);
  if (!ctx) throw new Error('useOfficerSync outside OfficerSyncProvider');
  return ctx;
}
