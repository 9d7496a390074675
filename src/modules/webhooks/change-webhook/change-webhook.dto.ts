import { ApiPropertyOptional } from '@nestjs/swagger';
import { Length } from 'class-validator';
import { IsCleanText, OptionalField } from '../../../http/dto-rules';

export class PauseWebhookDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @OptionalField()
  @IsCleanText()
  @Length(1, 500)
  reason?: string;
}
