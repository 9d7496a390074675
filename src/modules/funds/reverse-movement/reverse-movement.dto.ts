import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBusinessInstant, OptionalField } from '../../../http/dto-rules';
import { DATE_FORMS, ReasonDto } from '../funds.dto';

export class ReverseMovementDto extends ReasonDto {
  @ApiPropertyOptional({
    description: `Business date of the reversal; defaults to now. Not in the future, not before the movement, in an open period. ${DATE_FORMS}`,
  })
  @OptionalField()
  @IsBusinessInstant()
  effectiveAt?: string;
}
