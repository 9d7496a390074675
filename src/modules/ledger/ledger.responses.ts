import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AccountBalanceDto {
  @ApiProperty({ example: 'fund:general' }) account!: string;
  @ApiProperty({ example: 'USD' }) asset!: string;
  @ApiProperty() balanceMinor!: number;
}

export class TrialBalanceDto {
  @ApiPropertyOptional({ description: 'Business day (YYYY-MM-DD), when asked for.' }) asOf?: string;
  @ApiPropertyOptional() atPosition?: number;
  @ApiProperty({ type: [AccountBalanceDto], description: 'Accounts with a non-zero balance.' }) accounts!: AccountBalanceDto[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { USD: 0 }, description: 'Per asset; always zero.' })
  totalsByAsset!: Record<string, number>;
  @ApiProperty() readModelPosition!: number;
}

export class PeriodDto {
  @ApiProperty({ example: '2026-03' }) period!: string;
  @ApiProperty({ enum: ['month', 'quarter', 'fiscal-year'] }) kind!: string;
  @ApiProperty({ description: 'First business day of the period (YYYY-MM-DD).', example: '2026-03-01' }) start!: string;
  @ApiProperty({ description: 'First business day after the period (YYYY-MM-DD), exclusive.', example: '2026-04-01' }) end!: string;
}

export class PeriodClosedDto extends PeriodDto {
  @ApiProperty({ enum: ['closed'] }) status!: string;
  @ApiProperty({ description: 'Global log position of the write.' }) position!: number;
}

export class PeriodListDto {
  @ApiProperty({ type: [PeriodDto], description: 'In the order they were closed.' }) closed!: PeriodDto[];
  @ApiProperty({ minimum: 1, maximum: 12 }) fiscalYearStartMonth!: number;
}
