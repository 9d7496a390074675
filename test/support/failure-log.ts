/**
 * Failed expectations of a generated suite, kept instead of thrown so that one run shows them
 * all, grouped (check → operation → input kind, status, code) with a count and one example
 * request each: the list an integrator works through.
 */
export interface Failure {
  readonly check: string;
  readonly operation: string;
  readonly kind: string;
  readonly status: number;
  readonly code: string;
  readonly example: string;
}

export class FailureLog {
  readonly all: Failure[] = [];

  constructor(private readonly seed?: number) {}

  add(check: string, operation: string, kind: string, status: number, code: unknown, example: string): void {
    this.all.push({ check, operation, kind, status, code: code === undefined || code === null ? '-' : String(code), example });
  }

  /**
   * One line per (check, input kind, status, code) with the operations it was seen on (a cause
   * usually spans many routes), and one example request.
   */
  summary(matches: (check: string) => boolean = () => true, maxLines = 300): string {
    const selected = this.all.filter((f) => matches(f.check));
    if (selected.length === 0) return '';
    const groups = new Map<string, { operations: Set<string>; count: number; example: string }>();
    for (const f of selected) {
      const key = `${f.check} | ${f.kind} → ${f.status} ${f.code}`;
      const entry = groups.get(key) ?? { operations: new Set<string>(), count: 0, example: f.example };
      entry.count++;
      entry.operations.add(f.operation);
      groups.set(key, entry);
    }
    const lines: string[] = [`${selected.length} failed expectation(s)${this.seed !== undefined ? `, seed ${this.seed} (FUZZ_SEED=${this.seed} reproduces)` : ''}:`];
    for (const [key, { operations, count, example }] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const ops = [...operations];
      const named = ops.length > 6 ? `${ops.slice(0, 6).join(', ')}, … (${ops.length} operations)` : ops.join(', ');
      lines.push(`  ${key} ×${count} on ${named}`);
      lines.push(`      e.g. ${example}`);
    }
    if (lines.length > maxLines) return [...lines.slice(0, maxLines), `  … ${lines.length - maxLines} more lines`].join('\n');
    return lines.join('\n');
  }

  /** Fails the calling test with the grouped list of the matching failures. */
  assertNone(matches: (check: string) => boolean): void {
    const text = this.summary(matches);
    if (text) throw new Error(text);
  }
}
