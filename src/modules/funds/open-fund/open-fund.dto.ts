import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsObject, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { IsBusinessDay, IsCleanText, OptionalField } from '../../../http/dto-rules';
import { RESTRICTION_CLASSES, RestrictionClass } from '../fund/fund.decider';

export class RestrictionDto {
  @ApiProperty({ enum: RESTRICTION_CLASSES })
  @IsIn(RESTRICTION_CLASSES)
  class!: RestrictionClass;

  @ApiPropertyOptional({ description: 'Required for donor-restricted funds.', maxLength: 200 })
  @OptionalField()
  @IsCleanText()
  @Length(1, 200)
  purpose?: string;

  @ApiPropertyOptional({ description: 'Donor-restricted money is held until this business day (YYYY-MM-DD).', example: '2027-12-31' })
  @OptionalField()
  @IsBusinessDay()
  restrictedUntil?: string;
}

export class OpenFundDto {
  @ApiProperty({ example: 'water-autonomy', description: '2 to 40 lowercase letters, digits and hyphens; unique.' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{1,39}$/, { message: 'code must be 2 to 40 lowercase letters, digits and hyphens' })
  code!: string;

  @ApiProperty({ example: 'Water autonomy', maxLength: 120 })
  @IsCleanText()
  @Length(1, 120)
  name!: string;

  @ApiProperty({ example: 'USD', description: 'ISO 4217 currency code.' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' })
  currency!: string;

  @ApiProperty({ type: RestrictionDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RestrictionDto)
  restriction!: RestrictionDto;

  @ApiPropertyOptional({ maxLength: 1000, description: 'Free text; line breaks allowed.' })
  @OptionalField()
  @IsCleanText({ multiline: true })
  @Length(1, 1000)
  description?: string;
}

export class FundCreatedDto {
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty({ description: 'Global log position of the write; pass as minPosition to read it back.' })
  position!: number;
}
