// Branch picker showing the scoped tree with indentation.
import { get } from '../lib/api';
import { useData } from '../hooks/use-data';
import type { Branch } from '../lib/types';

export function useBranches() {
  return useData(() => get<{ items: Branch[]; rootId: number }>('/branches'), []);
}

/** Branches ordered depth-first with their depth, for indented lists. */
export function branchTree(items: Branch[]): { branch: Branch; depth: number }[] {
  const byParent = new Map<number | null, Branch[]>();
  const ids = new Set(items.map((b) => b.id));
  for (const b of items) {
    const p = b.parentId != null && ids.has(b.parentId) ? b.parentId : null;
    byParent.set(p, [...(byParent.get(p) ?? []), b]);
  }
  const out: { branch: Branch; depth: number }[] = [];
  const walk = (p: number | null, depth: number) => {
    for (const b of byParent.get(p) ?? []) {
      out.push({ branch: b, depth });
      walk(b.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** The scoped branches as indented options, valued by id (filters) or by code (what create forms send). */
export function BranchOptions({ items, by }: { items: Branch[]; by: 'id' | 'code' }) {
  return (
    <>
      {branchTree(items).map(({ branch, depth }) => (
        <option key={branch.id} value={branch[by]}>
          {'\u00a0\u00a0'.repeat(depth * 2)}
          {branch.name} ({branch.code})
        </option>
      ))}
    </>
  );
}

export function BranchSelect({ value, onChange, testId, allLabel = 'Tất cả đơn vị' }: { value: string; onChange(v: string): void; testId?: string; allLabel?: string }) {
  const { data } = useBranches();
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="">{allLabel}</option>
      <BranchOptions items={data?.items ?? []} by="id" />
    </select>
  );
}
