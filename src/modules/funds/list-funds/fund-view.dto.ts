import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RESTRICTION_CLASSES } from '../fund/fund.decider';

export class FundRestrictionViewDto {
  @ApiProperty({ enum: RESTRICTION_CLASSES }) class!: string;
  @ApiPropertyOptional({ example: 'water autonomy initiatives' }) purpose?: string;
  @ApiPropertyOptional({ description: 'Business day (YYYY-MM-DD).', example: '2027-12-31' }) restrictedUntil?: string;
}

/** A fund as every role may read it: no person's or cooperative's id is in it. */
export class FundViewDto {
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty({ example: 'water-autonomy' }) code!: string;
  @ApiProperty({ example: 'Water autonomy' }) name!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ type: FundRestrictionViewDto }) restriction!: FundRestrictionViewDto;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: string;
  @ApiProperty({ description: 'UTC instant.', example: '2026-03-01T10:00:00.000Z' }) openedAt!: string;
}

export class FundListDto {
  @ApiProperty({ type: [FundViewDto] }) items!: FundViewDto[];
  @ApiPropertyOptional({ description: 'Present when the page is full: pass as `after` for the next page.' }) next?: string;
}

export class FundClosedDto {
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty({ enum: ['closed'] }) status!: string;
  @ApiProperty({ description: 'Global log position of the write; pass as minPosition to read it back.' }) position!: number;
}
