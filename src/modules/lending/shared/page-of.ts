/**
 * One page of a listing in its order: the items after the cursor `after` (the key of the last
 * item of the previous page), at most `limit`, and `next` when more follow. A cursor that names
 * no item of the listing gives an empty page.
 */
export function pageOf<T>(items: readonly T[], key: (item: T) => string, after: string | undefined, limit: number): { items: T[]; next?: string } {
  const start = after === undefined ? 0 : items.findIndex((item) => key(item) === after) + 1;
  if (after !== undefined && start === 0) return { items: [] };
  const page = items.slice(start, start + limit);
  return { items: page, ...(start + limit < items.length && page.length > 0 ? { next: key(page[page.length - 1]) } : {}) };
}
