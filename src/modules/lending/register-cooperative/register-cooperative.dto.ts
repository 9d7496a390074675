import { Text } from '../shared/lending-dto-rules';

export class RegisterCooperativeDto {
  @Text(200, 'Riverside Bakery Cooperative') name!: string;
  @Text(100, 'food') sector!: string;
  @Text(300, 'coordinator@riverside.coop') contact!: string;
}
