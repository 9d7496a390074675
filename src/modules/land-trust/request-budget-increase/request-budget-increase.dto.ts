import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Length } from 'class-validator';
import { IsBusinessInstant, IsCleanText, OptionalField } from '../../../http/dto-rules';
import { BACK_DATED, FundingLineDto, FundingLines } from '../land-trust.dto';

export class BudgetIncreaseDto {
  @FundingLines('More money, each fund once; spent after the earlier lines.') fundingLines!: FundingLineDto[];
  @ApiProperty({ maxLength: 500 }) @IsCleanText() @Length(1, 500) reason!: string;
  @ApiPropertyOptional({ description: `${BACK_DATED} Not before the project's approval.` }) @OptionalField() @IsBusinessInstant() effectiveAt?: string;
}
