import { ApiPropertyOptional } from '@nestjs/swagger';
import { Length } from 'class-validator';
import { IsCleanText, OptionalField } from '../../../http/dto-rules';
import { PledgeFromDto } from '../pledge-change.dto';

export class PausePledgeDto extends PledgeFromDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 500, example: 'travelling' })
  @OptionalField()
  @IsCleanText()
  @Length(1, 500)
  reason?: string;
}
