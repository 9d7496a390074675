import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { OptionalField } from '../../../http/dto-rules';
import { Day, Uuid } from '../shared/lending-dto-rules';

export class ReserveThingDto {
  @Uuid() resourceId!: string;
  @Uuid() borrowerId!: string;
  @Day('2026-10-05', 'Today or later.') startOn!: string;
  @Day('2026-10-12') dueOn!: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Optional deposit, minor units: taken at check-out, back on return, kept if lost or damaged.' })
  @OptionalField() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) depositMinor?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Optional fee, minor units: paid to the owner when the loan ends.' })
  @OptionalField() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) feeMinor?: number;
  @ApiPropertyOptional({ example: 'USD', description: 'Required with a deposit or fee.' })
  @OptionalField() @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' }) currency?: string;
}
