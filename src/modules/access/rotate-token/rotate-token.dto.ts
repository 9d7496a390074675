import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBusinessInstant, OptionalField } from '../../../http/dto-rules';

export class RotateTokenDto {
  @ApiPropertyOptional({
    description: 'When the new token stops working (ISO 8601 day or instant), in the future, at most 3650 days ahead. Default: LEDGER_TOKEN_TTL_DAYS from now.',
    example: '2027-01-31',
  })
  @OptionalField()
  @IsBusinessInstant()
  expiresAt?: string;
}
