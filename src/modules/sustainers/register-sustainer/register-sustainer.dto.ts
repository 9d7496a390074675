import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, Length } from 'class-validator';
import { IsCleanText, OptionalField } from '../../../http/dto-rules';
import { IsEmailAddress } from '../sustainers-dto-rules';

export class RegisterSustainerDto {
  @ApiProperty({ minLength: 1, maxLength: 200, description: 'Sealed with the sustainer\'s own key; never stored in clear.', example: 'Ada Example' })
  @IsCleanText()
  @Length(1, 200)
  displayName!: string;

  @ApiPropertyOptional({ minLength: 3, maxLength: 254, example: 'ada@example.org' })
  @OptionalField()
  @IsCleanText()
  @IsEmailAddress()
  @Length(3, 254)
  email?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 500, description: 'May span several lines.', example: '1 Main St\nSpringfield' })
  @OptionalField()
  @IsCleanText({ multiline: true })
  @Length(1, 500)
  postalAddress?: string;

  @ApiProperty({ description: 'Anonymous: the amounts count in every total; the name is shown only to stewards and the sustainer.' })
  @IsBoolean()
  anonymous!: boolean;
}
