import { ApiProperty } from '@nestjs/swagger';
import { Length } from 'class-validator';
import { IsCleanText } from '../../../http/dto-rules';

export class CancelImprovementDto {
  @ApiProperty({ maxLength: 500, description: 'Why the project stops; required.' }) @IsCleanText() @Length(1, 500) reason!: string;
}
