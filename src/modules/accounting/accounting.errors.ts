import { DomainError } from '../../shared/domain-error';

/** Every code the accounting exports answer, with its HTTP status. */
export const ExportErrors = {
  periodInvalid: (from: string, to: string) => {
    const message = `from (${from}) is after to (${to}).`;
    return new DomainError('EXPORT.PERIOD_INVALID', message, 400, { errors: [{ field: 'to', messages: [message] }] });
  },
  tooLarge: (lines: number, max: number) =>
    new DomainError('EXPORT.TOO_LARGE', `The period holds ${lines} ledger lines, more than ${max} in one export; ask for a shorter period.`, 422, { lines, max }),
};
