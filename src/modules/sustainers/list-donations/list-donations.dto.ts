import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsUUID, Max, Min } from 'class-validator';
import { OptionalField, ToInteger } from '../../../http/dto-rules';
import { IdPageQueryDto, MAX_YEAR, MIN_YEAR } from '../sustainers-dto-rules';

export class MyDonationsQueryDto extends IdPageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: MIN_YEAR, maximum: MAX_YEAR, example: 2028, description: 'Gifts received in this calendar year.' })
  @OptionalField()
  @ToInteger()
  @IsInt()
  @Min(MIN_YEAR)
  @Max(MAX_YEAR)
  year?: number;
}

export class ListDonationsQueryDto extends MyDonationsQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @OptionalField() @IsUUID() sustainerId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @OptionalField() @IsUUID() fundId?: string;
}
