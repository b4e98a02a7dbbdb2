/** Officer dashboard: one call with the figures the console's overview page draws, scoped to the subtree. */
import { Router } from 'express';
import type { Db } from '../../../shared/db/client';
import { listEventsWithCounts } from '../../../shared/db/queries/events';
import { topQuestions, unansweredQuestions } from '../../../shared/db/queries/kb';
import { ticketScopeFilter } from '../../../shared/db/queries/handoffs';
import { broadcastStats, countOpenTickets, memberStatsByBranch } from '../../../shared/db/queries/console';
import type { Clock } from '../../../shared/clock';
import { adminLocals } from './auth';

const pct = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 10 : 0);

export function dashboardRoutes(deps: { db: Db; clock: Clock }): Router {
  const { db } = deps;
  const r = Router();

  r.get('/dashboard', async (_req, res) => {
    const { scope } = adminLocals(res);
    const since = new Date(deps.clock.now().getTime() - 30 * 86400_000);
    const [byBranch, bc, events, top, unanswered, openHandoffs] = await Promise.all([
      memberStatsByBranch(db, scope.branchIds),
      broadcastStats(db, scope.branchIds),
      listEventsWithCounts(db, scope.branchIds, 10),
      topQuestions(db, since, 10),
      unansweredQuestions(db, since, scope, 10),
      countOpenTickets(db, ticketScopeFilter(scope.branchIds, scope.includesRoot)),
    ]);
    const sum = (k: 'total' | 'active' | 'suspended' | 'left' | 'linked') => byBranch.reduce((a, b) => a + Number(b[k]), 0);
    const total = sum('total');
    const linked = sum('linked');
    const attempted = bc.totals.sent + bc.totals.failed;
    res.json({
      members: {
        total,
        linked,
        linkedPct: pct(linked, total),
        byStatus: { active: sum('active'), suspended: sum('suspended'), left: sum('left') },
        byBranch: byBranch.map((b) => ({ ...b, linkedPct: pct(Number(b.linked), Number(b.total)) })),
      },
      broadcasts: {
        total: bc.totals.broadcasts,
        sent: bc.totals.sent,
        failed: bc.totals.failed,
        deliveryRate: pct(bc.totals.sent, attempted),
        recent: bc.recent.map((b) => ({ ...b, deliveryRate: pct(Number(b.sent), Number(b.sent) + Number(b.failed)) })),
      },
      events: events.map((e) => ({ id: e.id, title: e.title, startsAt: e.startsAt, count: Number(e.count) })),
      questions: { top, unanswered },
      handoffs: { open: openHandoffs },
    });
  });

  return r;
}
