import { ApiPropertyOptional } from '@nestjs/swagger';
import { Length } from 'class-validator';
import { IsCleanText, OptionalField } from '../../../http/dto-rules';

export class RevokeTokenDto {
  @ApiPropertyOptional({ maxLength: 500, example: 'left the network', description: 'Why; default `revoked by a steward`.' })
  @OptionalField()
  @IsCleanText()
  @Length(1, 500)
  reason?: string;
}
