import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUUID, Length } from 'class-validator';
import { IsBusinessInstant, IsCleanText, OptionalField } from '../../../http/dto-rules';
import { AmountDto, DATE_FORMS } from '../funds.dto';

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
