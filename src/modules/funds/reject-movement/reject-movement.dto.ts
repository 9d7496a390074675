import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBusinessInstant, OptionalField } from '../../../http/dto-rules';
import { DATE_FORMS, ReasonDto } from '../funds.dto';

export class RejectMovementDto extends ReasonDto {
  @ApiPropertyOptional({
    description: `Business date of the rejection; defaults to now. Same rules as an approval's. ${DATE_FORMS}`,
    example: '2026-03-02',
  })
  @OptionalField()
  @IsBusinessInstant()
  effectiveAt?: string;
}
