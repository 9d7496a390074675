import { ApiProperty } from '@nestjs/swagger';
import { Length } from 'class-validator';
import { IsCleanText } from '../../../http/dto-rules';
import { AmountMinor } from '../land-trust.dto';

export class ResaleCreditDto {
  @AmountMinor('Positive whole number of minor units added to the resale formula; at most what the work cost.') amountMinor!: number;
  @ApiProperty({ maxLength: 500, description: 'May span several lines.' }) @IsCleanText({ multiline: true }) @Length(1, 500) description!: string;
}
