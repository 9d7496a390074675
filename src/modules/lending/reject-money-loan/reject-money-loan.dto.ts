import { Text } from '../shared/lending-dto-rules';

export class LendingReasonDto {
  @Text(500, 'the borrower found other money') reason!: string;
}
