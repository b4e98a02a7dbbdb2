// The member card and its rotating QR: fetched on mount, re-fetched ~30 s before qrExpiresAt,
// retried every 10 s while the network is down, and re-checked when the app comes back to the foreground.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../lib/api';
import { qrToDataUrl } from '../lib/qr';
import { refreshDelay } from '../lib/card-timing';
import type { Card } from '../lib/types';

const RETRY_MS = 10_000;

export interface CardState {
  card: Card | null;
  qrDataUrl: string | null;
  /** Client-clock times (ms), corrected for the server/phone clock difference. */
  expiresAt: number | null;
  refreshAt: number | null;
  loading: boolean;
  /** The last load failed (the previous card, if any, is still shown). */
  error: unknown;
  reload: () => void;
}

export function useCard(): CardState {
  const [state, setState] = useState<Omit<CardState, 'reload'>>({
    card: null,
    qrDataUrl: null,
    expiresAt: null,
    refreshAt: null,
    loading: true,
    error: undefined,
  });
  const seq = useRef(0);
  const hasCard = useRef(false);
  const retryTimer = useRef<ReturnType<typeof setTimeout>>();

  const load = useCallback(async () => {
    const id = ++seq.current;
    clearTimeout(retryTimer.current);
    setState((s) => ({ ...s, loading: true }));
    try {
      const { data, serverDate } = await api.card();
      const receivedAt = Date.now();
      // The Date header has 1 s resolution; only correct clearly wrong phone clocks.
      const skew = serverDate !== null && Math.abs(serverDate - receivedAt) > 2000 ? serverDate - receivedAt : 0;
      const expiresAt = Date.parse(data.qrExpiresAt) - skew;
      const ttl = Number.isFinite(expiresAt) ? expiresAt - receivedAt : 5 * 60_000;
      const qrDataUrl = await qrToDataUrl(data.qr);
      if (id !== seq.current) return;
      hasCard.current = true;
      setState({
        card: data,
        qrDataUrl,
        expiresAt: Number.isFinite(expiresAt) ? expiresAt : null,
        refreshAt: receivedAt + refreshDelay(ttl),
        loading: false,
        error: undefined,
      });
    } catch (error) {
      if (id !== seq.current) return;
      setState((s) => ({ ...s, loading: false, error }));
      // Keep trying in the background while an older card is on screen; the first load waits for "Thử lại".
      if (hasCard.current) retryTimer.current = setTimeout(() => void load(), RETRY_MS);
    }
  }, []);

  const stop = useCallback(() => {
    seq.current++; // ignore answers that arrive after unmount
    clearTimeout(retryTimer.current);
  }, []);

  useEffect(() => {
    void load();
    return stop;
  }, [load, stop]);

  // Scheduled refresh before the code expires.
  useEffect(() => {
    if (state.refreshAt === null) return;
    const t = setTimeout(() => void load(), Math.max(0, state.refreshAt - Date.now()));
    return () => clearTimeout(t);
  }, [state.refreshAt, load]);

  // Timers sleep while the app is in the background; catch up when it is visible again.
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible' && state.refreshAt !== null && Date.now() >= state.refreshAt) void load();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [state.refreshAt, load]);

  return { ...state, reload: () => void load() };
}
