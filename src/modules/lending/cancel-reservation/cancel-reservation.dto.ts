import { Text } from '../shared/lending-dto-rules';

export class CancelReservationDto {
  @Text(500) reason!: string;
}
