import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID, Length } from 'class-validator';
import { IsBusinessInstant, IsCleanText, OptionalField } from '../../../http/dto-rules';
import { AmountDto, DATE_FORMS } from '../funds.dto';

export class RequestDisbursementDto extends AmountDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() fundId!: string;

  @ApiProperty({ example: 'Acme Plumbing', maxLength: 120, description: 'The payee; its account is `vendor:<payee>`.' })
  @IsCleanText()
  @Length(1, 120)
  payee!: string;

  @ApiProperty({ example: 'repairs', maxLength: 60 })
  @IsCleanText()
  @Length(1, 60)
  category!: string;

  @ApiProperty({ example: 'INV-2026-0042', maxLength: 80 })
  @IsCleanText()
  @Length(1, 80)
  invoiceReference!: string;

  @ApiProperty({ description: `Business date of the payment. Not in a closed period. ${DATE_FORMS}`, example: '2026-03-01' })
  @IsBusinessInstant()
  effectiveAt!: string;

  @ApiPropertyOptional({ description: 'For donor-restricted funds: the purpose the spending serves; must be the fund\'s.', maxLength: 200 })
  @OptionalField()
  @IsCleanText()
  @Length(1, 200)
  purpose?: string;
}
