import { Text, Day } from '../shared/lending-dto-rules';

export class ForgiveMoneyLoanDto {
  @Text(500) reason!: string;
  @Day('2027-01-15') forgivenOn!: string;
}
