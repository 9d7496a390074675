import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Length } from 'class-validator';
import { IsBusinessInstant, IsCleanText, OptionalField } from '../../../http/dto-rules';

export class RefundDonationDto {
  @ApiProperty({ minLength: 1, maxLength: 500, example: 'card charged back' })
  @IsCleanText()
  @Length(1, 500)
  reason!: string;

  @ApiPropertyOptional({ description: 'When the refund is dated (YYYY-MM-DD or an ISO 8601 instant); default now. In an open period.' })
  @OptionalField()
  @IsBusinessInstant()
  effectiveAt?: string;
}
