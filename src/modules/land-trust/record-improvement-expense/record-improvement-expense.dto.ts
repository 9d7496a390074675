import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { IsBusinessInstant, IsCleanText } from '../../../http/dto-rules';
import { AmountMinor, CURRENCY } from '../land-trust.dto';

export class ExpenseDto {
  @ApiProperty({ example: 'Acme Plumbing', maxLength: 120, description: 'Becomes the account `vendor:<name>`: no surrounding spaces.' })
  @IsCleanText()
  @Length(1, 120)
  vendor!: string;
  @AmountMinor('Positive whole number of minor units.') amountMinor!: number;
  @ApiProperty({ example: 'USD' }) @IsString() @Matches(CURRENCY, { message: 'currency must be an ISO 4217 code such as USD' }) currency!: string;
  @ApiProperty({ example: 'INV-2026-0042', maxLength: 80 }) @IsCleanText() @Length(1, 80) invoiceReference!: string;
  @ApiProperty({ description: 'Date paid (ISO 8601 day or instant); may be in the past, not in a closed period, not before approval.', example: '2026-09-10T12:00:00Z' })
  @IsBusinessInstant()
  effectiveAt!: string;
}
