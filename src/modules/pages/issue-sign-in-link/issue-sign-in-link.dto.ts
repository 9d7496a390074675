import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsUUID, Max, Min } from 'class-validator';
import { OptionalField } from '../../../http/dto-rules';

export class IssueSignInLinkDto {
  @ApiProperty({ enum: ['sustainer', 'cooperative'], description: 'Whose page the link opens.' })
  @IsIn(['sustainer', 'cooperative'])
  role!: 'sustainer' | 'cooperative';

  @ApiProperty({ format: 'uuid', description: 'The sustainer or cooperative the link signs in as: it must exist (and a sustainer must not be erased).' })
  @IsUUID()
  subjectId!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 5, maximum: 10080, description: 'Minutes until the link expires; default LEDGER_SIGN_IN_LINK_MINUTES (60).' })
  @OptionalField()
  @IsInt()
  @Min(5)
  @Max(7 * 24 * 60)
  expiresInMinutes?: number;
}

export class SignInLinkDto {
  @ApiProperty({ format: 'uuid' }) linkId!: string;
  @ApiProperty({ enum: ['sustainer', 'cooperative'] }) role!: string;
  @ApiProperty({ format: 'uuid' }) subjectId!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'The link to hand to the person, shown once: only its SHA-256 is kept. `null` on an idempotent replay (the first answer had it).',
  })
  url!: string | null;
  @ApiProperty({ type: 'integer' }) position!: number;
}
