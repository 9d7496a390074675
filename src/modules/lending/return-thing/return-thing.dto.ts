import { Text, OptionalDay } from '../shared/lending-dto-rules';

export class ReturnThingDto {
  @Text(300, 'good') condition!: string;
  @OptionalDay('The business day it came back (default today): on or after the check-out, not in the future, in an open period.') returnedOn?: string;
}
