import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { IsBusinessInstant, IsCleanText, OptionalField } from '../../../http/dto-rules';
import { BUSINESS_DAY_RANGE } from '../../../shared/business-date';

const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

/** What every business date of a movement says in the contract. */
const DATE_FORMS = `ISO 8601 day (\`2026-03-01\`) or instant with an offset (\`2026-03-01T10:00:00Z\`), from ${BUSINESS_DAY_RANGE}; stored and answered as UTC (\`2026-03-01T10:00:00.000Z\`).`;

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

export class RequestTransferDto extends AmountDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() fromFundId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() toFundId!: string;

  @ApiPropertyOptional({ description: `Business date; defaults to now. Not in a closed period. ${DATE_FORMS}`, example: '2026-03-01' })
  @OptionalField()
  @IsBusinessInstant()
  effectiveAt?: string;
}

export class RequestDisbursementDto extends AmountDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() fundId!: string;

  @ApiProperty({ example: 'Acme Plumbing', maxLength: 120, description: 'The payee; its account is `vendor:<payee>`.' })
  @IsCleanText()
  @Length(1, 120)
  payee!: string;

  @ApiProperty({ example: 'repairs', maxLength: 60 })
  @IsCleanText()
  @Length(1, 60)
  category!: string;

  @ApiProperty({ example: 'INV-2026-0042', maxLength: 80 })
  @IsCleanText()
  @Length(1, 80)
  invoiceReference!: string;

  @ApiProperty({ description: `Business date of the payment. Not in a closed period. ${DATE_FORMS}`, example: '2026-03-01' })
  @IsBusinessInstant()
  effectiveAt!: string;

  @ApiPropertyOptional({ description: 'For donor-restricted funds: the purpose the spending serves; must be the fund\'s.', maxLength: 200 })
  @OptionalField()
  @IsCleanText()
  @Length(1, 200)
  purpose?: string;
}

export const INCOME_CATEGORIES = ['grant', 'opening-balance', 'interest', 'sales', 'other'] as const;

export class RecordIncomeDto extends AmountDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() fundId!: string;

  @ApiProperty({ example: 'Community Foundation', maxLength: 120, description: 'Where the money came from; its account is `income:<source>`.' })
  @IsCleanText()
  @Length(1, 120)
  source!: string;

  @ApiProperty({ enum: INCOME_CATEGORIES })
  @IsIn(INCOME_CATEGORIES)
  category!: string;

  @ApiProperty({ description: `Business date the money arrived. Not in a closed period. ${DATE_FORMS}`, example: '2026-03-01' })
  @IsBusinessInstant()
  effectiveAt!: string;

  @ApiPropertyOptional({ maxLength: 80 })
  @OptionalField()
  @IsCleanText()
  @Length(1, 80)
  reference?: string;
}

/**
 * The optional body of an approval: when it was decided. Recording after the fact (a network
 * loading its past years) dates the approval then; the postings keep the movement's own date.
 */
export class DecisionDto {
  @ApiPropertyOptional({
    description:
      'Business date of the decision; defaults to now. Not in the future, not before the request (the earlier of its ' +
      `\`effectiveAt\` and when it was recorded), not in a closed period. ${DATE_FORMS}`,
    example: '2026-03-02',
  })
  @OptionalField()
  @IsBusinessInstant()
  effectiveAt?: string;
}

export class ReasonDto {
  @ApiProperty({ maxLength: 500 })
  @IsCleanText()
  @Length(1, 500)
  reason!: string;
}

export class RejectMovementDto extends ReasonDto {
  @ApiPropertyOptional({
    description: `Business date of the rejection; defaults to now. Same rules as an approval's. ${DATE_FORMS}`,
    example: '2026-03-02',
  })
  @OptionalField()
  @IsBusinessInstant()
  effectiveAt?: string;
}

export class ReverseMovementDto extends ReasonDto {
  @ApiPropertyOptional({
    description: `Business date of the reversal; defaults to now. Not in the future, not before the movement, in an open period. ${DATE_FORMS}`,
  })
  @OptionalField()
  @IsBusinessInstant()
  effectiveAt?: string;
}

export class MovementCreatedDto {
  @ApiProperty({ format: 'uuid' }) movementId!: string;
  @ApiProperty({ enum: ['requested', 'posted', 'rejected', 'expired', 'reversed'] }) status!: string;
  @ApiProperty({ description: 'Global log position of the write; pass as minPosition to read it back.' }) position!: number;
}
