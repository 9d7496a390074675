import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { IsBusinessDay, IsCleanText } from '../../../http/dto-rules';
import { PARCEL_ID_PATTERN } from '../land-trust.events';
import { PROPERTY_STATUSES } from '../property/property.decider';

export class RegisterPropertyDto {
  @ApiProperty({ example: '12 Elm Street, Springfield', maxLength: 300 }) @IsCleanText() @Length(1, 300) address!: string;
  @ApiProperty({ example: 'APN-044-221-07', maxLength: 80, pattern: PARCEL_ID_PATTERN })
  @IsString()
  @Matches(new RegExp(PARCEL_ID_PATTERN), { message: 'parcelId is 1 to 80 letters, digits and . _ / -' })
  parcelId!: string;
  @ApiProperty({ example: '2024-05-01', format: 'date' }) @IsBusinessDay() acquiredOn!: string;
  @ApiProperty({ enum: PROPERTY_STATUSES }) @IsIn(PROPERTY_STATUSES) status!: (typeof PROPERTY_STATUSES)[number];
}
