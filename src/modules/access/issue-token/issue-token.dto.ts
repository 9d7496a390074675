import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUUID, Length } from 'class-validator';
import { IsBusinessInstant, IsCleanText, OptionalField } from '../../../http/dto-rules';
import { ROLES, Role } from '../../../shared/decider';

export class IssueTokenDto {
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES as Role[]) role!: Role;

  @ApiProperty({ maxLength: 200, example: 'Ana (steward)', description: 'Who or what holds the token.' })
  @IsCleanText()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for sustainer and cooperative tokens: the one they act for; refused for the others.' })
  @OptionalField()
  @IsUUID()
  subject?: string;

  @ApiPropertyOptional({
    description: 'When the token stops working (ISO 8601 day or instant): in the future, at most 3650 days ahead. Default: LEDGER_TOKEN_TTL_DAYS from now.',
    example: '2027-01-31',
  })
  @OptionalField()
  @IsBusinessInstant()
  expiresAt?: string;
}
