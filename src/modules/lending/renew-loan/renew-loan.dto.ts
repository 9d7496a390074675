import { Day, OptionalDay } from '../shared/lending-dto-rules';

export class RenewThingDto {
  @Day('2026-10-19', 'The new due date, after the current one.') dueOn!: string;
  @OptionalDay('The business day of the renewal (default today): on or after the check-out, not in the future, in an open period.') renewedOn?: string;
}
