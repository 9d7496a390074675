import { Decider } from '../../../shared/decider';
import { assertNever } from '../../../shared/domain-error';
import type { PeriodRange } from '../../../shared/calendar';
import { PeriodErrors } from '../ledger.errors';

export type PeriodEvent = {
  readonly type: 'PeriodClosed';
  readonly data: PeriodRange & { readonly closedBy: string; readonly closedAt: string };
};

export type PeriodCommand = { readonly type: 'ClosePeriod'; readonly range: PeriodRange; readonly by: string; readonly now: string };

export interface PeriodsState {
  readonly closed: readonly PeriodRange[];
}

/** The closed period containing a business day (YYYY-MM-DD), if any. */
export function closedPeriodOf(state: PeriodsState, day: string): PeriodRange | undefined {
  return state.closed.find((p) => p.start <= day && day < p.end);
}

/** Refuses a business date inside a closed period: a correction goes into an open one. */
export function requireOpenPeriod(state: PeriodsState, effectiveAt: string): void {
  const closed = closedPeriodOf(state, effectiveAt.slice(0, 10));
  if (closed) {
    throw PeriodErrors.closed(effectiveAt.slice(0, 10), closed.period);
  }
}

export const periodsDecider: Decider<PeriodCommand, PeriodEvent, PeriodsState> = {
  initialState: () => ({ closed: [] }),

  evolve(state, event) {
    switch (event.type) {
      case 'PeriodClosed': {
        const { closedBy: _by, closedAt: _at, ...range } = event.data;
        return { closed: [...state.closed, range] };
      }
      default:
        return assertNever(event.type);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'ClosePeriod': {
        const { range } = command;
        if (command.now.slice(0, 10) < range.end) {
          throw PeriodErrors.notEnded(range.period, range.end);
        }
        if (state.closed.some((p) => p.start <= range.start && range.end <= p.end)) {
          throw PeriodErrors.alreadyClosed(range.period);
        }
        return [{ type: 'PeriodClosed', data: { ...range, closedBy: command.by, closedAt: command.now } }];
      }
      default:
        return assertNever(command.type);
    }
  },
};

/** One stream holds every period closing, so every posting can check them in one read. */
export const PERIODS_STREAM = 'ledger-periods';
