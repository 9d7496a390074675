import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Length } from 'class-validator';
import { IsBusinessInstant, IsCleanText, OptionalField } from '../../../http/dto-rules';

export class ReverseExpenseDto {
  @ApiProperty({ maxLength: 500 }) @IsCleanText() @Length(1, 500) reason!: string;
  @ApiPropertyOptional({ description: 'Business date of the reversal (ISO 8601); defaults to now. On or after the expense, in an open period.' })
  @OptionalField()
  @IsBusinessInstant()
  effectiveAt?: string;
}
