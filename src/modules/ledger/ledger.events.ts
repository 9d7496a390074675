import { EventDefinition, S } from '../../shared/event-schema';

/** The ledger module's own events: accounting periods closed (see period.decider.ts). */
export const LEDGER_MODULE_EVENTS: readonly EventDefinition[] = [
  {
    type: 'PeriodClosed',
    schemaVersion: 1,
    data: S.object({
      period: { type: 'string', pattern: '^(\\d{4}-\\d{2}|FY\\d{4}(-Q[1-4])?)$' },
      kind: S.enumOf(['month', 'quarter', 'fiscal-year']),
      start: S.day,
      // The day after the period's last day (exclusive end).
      end: S.day,
      closedBy: S.text(200),
      closedAt: S.instant,
    }),
  },
];
