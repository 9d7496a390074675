import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Text } from '../shared/lending-dto-rules';

export class WaiveChargeDto {
  @ApiProperty({ enum: ['deposit', 'fee'] }) @IsIn(['deposit', 'fee']) charge!: 'deposit' | 'fee';
  @Text(500) reason!: string;
}
