/**
 * Reading a large result a page at a time by keyset: each page starts after the key of the last row of
 * the one before, so no page costs more than the first and no row is skipped or read twice (unlike
 * OFFSET while rows are added).
 */
export async function* keysetPages<Row, Key>(
  page: (after: Key | null, limit: number) => Promise<Row[]>,
  keyOf: (row: Row) => Key,
  pageSize: number,
): AsyncGenerator<Row[]> {
  let after: Key | null = null;
  for (;;) {
    const rows = await page(after, pageSize);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < pageSize) return;
    after = keyOf(rows[rows.length - 1]);
  }
}
