import { OptionalDay } from '../shared/lending-dto-rules';

export class ApproveMoneyLoanDto {
  @OptionalDay('The business day the money moved: on or after the day asked for (its default), not in the future, in an open period.') disbursedOn?: string;
}
