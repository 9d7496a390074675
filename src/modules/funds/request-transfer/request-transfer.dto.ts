import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { IsBusinessInstant, OptionalField } from '../../../http/dto-rules';
import { AmountDto, DATE_FORMS } from '../funds.dto';

export class RequestTransferDto extends AmountDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() fromFundId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() toFundId!: string;

  @ApiPropertyOptional({ description: `Business date; defaults to now. Not in a closed period. ${DATE_FORMS}`, example: '2026-03-01' })
  @OptionalField()
  @IsBusinessInstant()
  effectiveAt?: string;
}
