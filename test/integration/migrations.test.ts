import { sql } from 'drizzle-orm';
import { createPostgresTestDatabase } from '../helpers/db';
import { queryRows } from '../../shared/db/client';
import { describeIfPostgres } from '../helpers/tier';
import { upsertMembers } from '../../shared/db/queries/members';
import { ensureRootBranch } from '../../shared/db/queries/branches';

describeIfPostgres('migrations on real PostgreSQL', () => {
  it('apply idempotently and the same queries run', async () => {
    const database = await createPostgresTestDatabase();
    try {
      await database.migrate();
      await database.migrate();
      const rows = await queryRows<{ n: string }>(database.db, sql`select count(*)::text as n from drizzle.__drizzle_migrations`);
      expect(Number(rows[0].n)).toBeGreaterThanOrEqual(1);
      const root = await ensureRootBranch(database.db);
      const first = await upsertMembers(database.db, [{ memberCode: 'PG1', fullName: 'Đỗ Thị Hoa', branchId: root.id }]);
      const second = await upsertMembers(database.db, [{ memberCode: 'PG1', fullName: 'Đỗ Thị Hoa', branchId: root.id }]);
      expect(first).toEqual({ created: 1, updated: 0 });
      expect(second).toEqual({ created: 0, updated: 1 });
    } finally {
      await database.close();
    }
  });
});
