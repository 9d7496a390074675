import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { OptionalField } from '../../../http/dto-rules';
import { StatementQueryDto } from '../read-statement/read-statement.dto';

export class FundTotalsQueryDto extends StatementQueryDto {
  @ApiPropertyOptional({ enum: ['month', 'quarter', 'year'], default: 'month' })
  @OptionalField()
  @IsIn(['month', 'quarter', 'year'])
  by?: 'month' | 'quarter' | 'year';
}
