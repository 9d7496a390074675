import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Length, Max, Min } from 'class-validator';
import { IsBusinessDay, IsCleanText, MinPositionParam, ToInteger, OptionalField } from './dto-rules';

/** The list conventions every listing shares: `limit` (1 to `MAX_PAGE_SIZE`), cursor `after`, `next`. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** `limit`: a page of 1 to `MAX_PAGE_SIZE` items, `DEFAULT_PAGE_SIZE` when left out. */
export function LimitParam(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }),
    OptionalField(),
    ToInteger(),
    IsInt(),
    Min(1),
    Max(MAX_PAGE_SIZE),
  );
}

/** Every query route takes `minPosition`. */
export class PositionQueryDto {
  @MinPositionParam()
  minPosition?: number;
}

/** A listing: `limit` and the cursor `after` (the `next` of the previous page). */
export class PageQueryDto extends PositionQueryDto {
  @LimitParam()
  limit?: number;

  @ApiPropertyOptional({ description: 'Cursor: the `next` of the previous page.', maxLength: 200 })
  @OptionalField()
  @IsCleanText()
  @Length(1, 200)
  after?: string;
}

/** A read as of a business day (default: today). */
export class AsOfQueryDto extends PositionQueryDto {
  @ApiPropertyOptional({ description: 'As of this business day (YYYY-MM-DD); default today.', example: '2026-06-30' })
  @OptionalField()
  @IsBusinessDay()
  asOf?: string;
}
