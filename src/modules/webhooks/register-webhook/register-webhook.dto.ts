import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Length, Matches } from 'class-validator';
import { IsCleanText, OptionalField } from '../../../http/dto-rules';

export class RegisterWebhookDto {
  @ApiProperty({ example: 'https://books.example.org/ledger-hooks', maxLength: 2000, description: 'An http or https URL (no user name or password in it). Redirects are not followed.' })
  @IsString()
  @Length(8, 2000)
  url!: string;

  @ApiProperty({
    type: [String],
    example: ['MovementPosted', 'MovementReversed'],
    description: 'Event types to receive (as the log names them), or `["*"]` for every type that may leave the ledger.',
    minItems: 1,
    maxItems: 200,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Matches(/^(\*|[A-Z][A-Za-z0-9]{0,79})$/, { each: true, message: 'each of eventTypes must be an event type name or *' })
  eventTypes!: string[];

  @ApiPropertyOptional({ maxLength: 200 })
  @OptionalField()
  @IsCleanText()
  @Length(1, 200)
  description?: string;
}
