import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { OptionalField } from '../../../http/dto-rules';
import { PageQueryDto } from '../../../http/query.dto';
import type { TokenStatus } from '../api-token/api-token.projection';

export const TOKEN_STATUSES: readonly TokenStatus[] = ['active', 'expired', 'revoked'];

export class ListTokensQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TOKEN_STATUSES })
  @OptionalField()
  @IsIn(TOKEN_STATUSES)
  status?: TokenStatus;
}
