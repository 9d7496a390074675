import { Day, Minor, Currency } from '../shared/lending-dto-rules';

export class RepayMoneyLoanDto {
  @Minor('Positive whole number of minor units; at most what is outstanding.') amountMinor!: number;
  @Currency() currency!: string;
  @Day('2026-11-01') paidOn!: string;
}
