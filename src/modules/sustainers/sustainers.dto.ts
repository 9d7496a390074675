import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { DONATION_METHODS, DonationMethod } from '../funds/movement/movement.decider';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = (field: string) => ({ message: `${field} must be a date (YYYY-MM-DD)` });

export class RegisterSustainerDto {
  @ApiProperty({ maxLength: 200, description: 'Sealed with the sustainer\'s own key; never stored in clear.' })
  @IsString()
  @Length(1, 200)
  displayName!: string;

  @ApiPropertyOptional({ maxLength: 254 }) @IsOptional() @IsEmail() @Length(3, 254) email?: string;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @Length(1, 500) postalAddress?: string;

  @ApiProperty({ description: 'Anonymous: the amounts count in every total, the name appears only to stewards and the sustainer.' })
  @IsBoolean()
  anonymous!: boolean;
}

export class MakePledgeDto {
  @ApiProperty() @IsUUID() sustainerId!: string;
  @ApiProperty({ description: 'The designated fund.' }) @IsUUID() fundId!: string;
  @ApiProperty({ description: 'Per instalment, in minor units.' }) @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER) amountMinor!: number;
  @ApiProperty({ example: 'USD' }) @IsString() @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' }) currency!: string;
  /** Checked by the decider so an unknown interval answers PLEDGE.INTERVAL_INVALID. */
  @ApiProperty({ enum: ['once', 'monthly', 'quarterly', 'yearly'] }) @IsString() @Length(1, 20) interval!: string;
  @ApiProperty({ example: '2028-01-31' }) @Matches(DATE, DATE_MESSAGE('startDate')) startDate!: string;
  @ApiPropertyOptional({ description: 'Last day an instalment may fall due (inclusive).' }) @IsOptional() @Matches(DATE, DATE_MESSAGE('endDate')) endDate?: string;
  @ApiPropertyOptional({ description: 'Or a number of instalments.' }) @IsOptional() @IsInt() @Min(1) @Max(10_000) instalments?: number;
}

export class PledgeChangeDto {
  @ApiProperty({ description: 'The business day the change takes effect.', example: '2028-06-01' })
  @Matches(DATE, DATE_MESSAGE('from'))
  from!: string;

  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @Length(1, 500) reason?: string;
}

export class AmendPledgeDto extends PledgeChangeDto {
  @ApiProperty() @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER) amountMinor!: number;
  @ApiPropertyOptional({ enum: ['once', 'monthly', 'quarterly', 'yearly'], description: 'Defaults to the current interval.' })
  @IsOptional()
  @IsString()
  @Length(1, 20)
  interval?: string;
}

export class EndPledgeDto extends PledgeChangeDto {
  @ApiProperty({ maxLength: 500 }) @IsString() @Length(1, 500) declare reason: string;
}

export class RecordDonationDto {
  @ApiProperty() @IsUUID() sustainerId!: string;
  @ApiPropertyOptional({ description: 'The pledge this gift fulfils.' }) @IsOptional() @IsUUID() pledgeId?: string;
  @ApiPropertyOptional({ description: 'Defaults to the pledge\'s designated fund.' }) @IsOptional() @IsUUID() fundId?: string;
  @ApiProperty() @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER) amountMinor!: number;
  @ApiProperty({ example: 'USD' }) @IsString() @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' }) currency!: string;
  @ApiProperty({ enum: DONATION_METHODS }) @IsIn(DONATION_METHODS) method!: DonationMethod;
  @ApiProperty({ description: 'The day the money arrived (YYYY-MM-DD or an ISO 8601 instant); receipts are dated by it.' })
  @IsISO8601({ strict: true })
  effectiveAt!: string;
  @ApiPropertyOptional({ description: 'Fair value of goods or services given in return, minor units.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  goodsServicesMinor?: number;
}

export class RefundDonationDto {
  @ApiProperty({ maxLength: 500 }) @IsString() @Length(1, 500) reason!: string;
  @ApiPropertyOptional({ description: 'Business date of the refund; defaults to now. Must be in an open period.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  effectiveAt?: string;
}

export class AsOfQueryDto {
  @IsOptional() @Matches(DATE, DATE_MESSAGE('asOf')) asOf?: string;
}

export class YearQueryDto {
  @Type(() => Number) @IsInt() @Min(1970) @Max(2300) year!: number;
}

export class FundTotalsQueryDto extends YearQueryDto {
  @IsOptional() @IsIn(['month', 'quarter', 'year']) by?: 'month' | 'quarter' | 'year';
}

export class ListDonationsQueryDto {
  @IsOptional() @IsUUID() sustainerId?: string;
  @IsOptional() @IsUUID() fundId?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1970) @Max(2300) year?: number;
}

export class ListSustainersQueryDto {
  @IsOptional() @IsUUID() after?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class ListPledgesQueryDto extends AsOfQueryDto {
  @IsUUID() sustainerId!: string;
}
