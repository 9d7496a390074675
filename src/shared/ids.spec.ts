import { isUuid, newId } from './ids';

describe('new ids', () => {
  it('are UUIDv7, all different, and sort in the order they were made, within one millisecond too', () => {
    // 20,000 ids: several draws of the random pool, and many ids per millisecond.
    const ids = Array.from({ length: 20_000 }, () => newId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const sorted = [...ids].sort();
    expect(sorted).toEqual(ids);
    expect(isUuid(ids[0])).toBe(true);
  });

  it('carry the time they were made', () => {
    const before = Date.now();
    const id = newId();
    const msecs = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(msecs).toBeGreaterThanOrEqual(before);
    expect(msecs).toBeLessThanOrEqual(Date.now() + 1);
  });
});
