import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ToInteger } from '../../../http/dto-rules';

/** What `/my` was asked after a form: the confirmation to show (Post/Redirect/Get). */
export const DONE = ['reserved', 'proposed', 'confirmed'] as const;

export class MyPageQueryDto {
  @IsOptional() @ToInteger() @IsInt() @Min(1970) @Max(2299) year?: number;
  @IsOptional() @IsIn(DONE) done?: (typeof DONE)[number];
}

export class StatementDownloadQueryDto {
  @ToInteger() @IsInt() @Min(1970) @Max(2299) year!: number;
}
