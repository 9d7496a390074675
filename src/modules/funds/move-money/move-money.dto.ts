import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';

const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

/** Shared by every request that moves money: a positive whole number of minor units and its currency. */
export class AmountDto {
  @ApiProperty({ description: 'Positive whole number of minor units (cents).', example: 12500, maximum: MAX_AMOUNT })
  @IsInt({ message: 'amountMinor must be a whole number of minor units' })
  @Min(1)
  @Max(MAX_AMOUNT, { message: 'amountMinor is beyond the safe integer range' })
  amountMinor!: number;

  @ApiProperty({ example: 'USD' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' })
  currency!: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  memo?: string;
}

export class RequestTransferDto extends AmountDto {
  @ApiProperty() @IsUUID() fromFundId!: string;
  @ApiProperty() @IsUUID() toFundId!: string;

  @ApiPropertyOptional({ description: 'Business date (ISO 8601); defaults to now. Not in a closed period.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  effectiveAt?: string;
}

export class RequestDisbursementDto extends AmountDto {
  @ApiProperty() @IsUUID() fundId!: string;

  @ApiProperty({ example: 'Acme Plumbing', maxLength: 120 })
  @IsString()
  @Length(1, 120)
  payee!: string;

  @ApiProperty({ example: 'repairs', maxLength: 60 })
  @IsString()
  @Length(1, 60)
  category!: string;

  @ApiProperty({ example: 'INV-2026-0042', maxLength: 80 })
  @IsString()
  @Length(1, 80)
  invoiceReference!: string;

  @ApiProperty({ description: 'Business date of the payment (ISO 8601). Not in a closed period.' })
  @IsISO8601({ strict: true })
  effectiveAt!: string;

  @ApiPropertyOptional({ description: 'For donor-restricted funds: the purpose the spending serves; must be the fund\'s.', maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  purpose?: string;
}

export const INCOME_CATEGORIES = ['grant', 'opening-balance', 'interest', 'sales', 'other'] as const;

export class RecordIncomeDto extends AmountDto {
  @ApiProperty() @IsUUID() fundId!: string;

  @ApiProperty({ example: 'Community Foundation', maxLength: 120 })
  @IsString()
  @Length(1, 120)
  source!: string;

  @ApiProperty({ enum: INCOME_CATEGORIES })
  @IsIn(INCOME_CATEGORIES)
  category!: string;

  @ApiProperty({ description: 'Business date the money arrived (ISO 8601). Not in a closed period.' })
  @IsISO8601({ strict: true })
  effectiveAt!: string;

  @ApiPropertyOptional({ maxLength: 80 })
  @IsOptional()
  @IsString()
  @Length(1, 80)
  reference?: string;
}

export class ReasonDto {
  @ApiProperty({ maxLength: 500 })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class ReverseMovementDto extends ReasonDto {
  @ApiPropertyOptional({ description: 'Business date of the reversal; defaults to now. Must be in an open period.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  effectiveAt?: string;
}

export class MovementCreatedDto {
  @ApiProperty() movementId!: string;
  @ApiProperty({ enum: ['requested', 'posted', 'rejected', 'expired', 'reversed'] }) status!: string;
  @ApiProperty() position!: number;
}
