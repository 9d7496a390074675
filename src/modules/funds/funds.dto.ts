import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsCleanText, OptionalField } from '../../http/dto-rules';
import { BUSINESS_DAY_RANGE } from '../../shared/business-date';

const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

/** What every business date of a movement says in the contract. */
export const DATE_FORMS = `ISO 8601 day (\`2026-03-01\`) or instant with an offset (\`2026-03-01T10:00:00Z\`), from ${BUSINESS_DAY_RANGE}; stored and answered as UTC (\`2026-03-01T10:00:00.000Z\`).`;

/** Shared by every request that moves money: a positive whole number of minor units and its currency. */
export class AmountDto {
  @ApiProperty({ description: 'Positive whole number of minor units (cents).', example: 12500, minimum: 1, maximum: MAX_AMOUNT })
  @IsInt({ message: 'amountMinor must be a whole number of minor units' })
  @Min(1)
  @Max(MAX_AMOUNT, { message: 'amountMinor is beyond the safe integer range' })
  amountMinor!: number;

  @ApiProperty({ example: 'USD', pattern: '^[A-Z]{3}$' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' })
  currency!: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @OptionalField()
  @IsCleanText()
  @Length(1, 500)
  memo?: string;
}

export class ReasonDto {
  @ApiProperty({ maxLength: 500 })
  @IsCleanText()
  @Length(1, 500)
  reason!: string;
}
