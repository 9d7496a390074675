import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsBusinessDay, OptionalField } from '../../../http/dto-rules';
import { PositionQueryDto } from '../../../http/query.dto';
import { GL_LAYOUTS } from '../accounting-csv';

export class LayoutQueryDto extends PositionQueryDto {
  @ApiPropertyOptional({ enum: GL_LAYOUTS, default: 'generic', description: 'The CSV layout (with `Accept: text/csv`): `generic`, `gnucash` or `quickbooks` (QuickBooks Online).' })
  @OptionalField()
  @IsIn(GL_LAYOUTS)
  layout?: (typeof GL_LAYOUTS)[number];
}

export class GeneralLedgerQueryDto extends LayoutQueryDto {
  @ApiProperty({ description: 'First business day of the period (YYYY-MM-DD).', example: '2026-01-01' })
  @IsBusinessDay()
  from!: string;

  @ApiProperty({ description: 'Last business day of the period, included.', example: '2026-12-31' })
  @IsBusinessDay()
  to!: string;
}
