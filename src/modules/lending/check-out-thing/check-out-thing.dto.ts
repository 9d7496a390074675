import { OptionalDay } from '../shared/lending-dto-rules';

export class CheckOutThingDto {
  @OptionalDay('The business day it went out (default today): on or after the reservation starts, by its due date, not in the future, in an open period.')
  checkedOutOn?: string;
}
