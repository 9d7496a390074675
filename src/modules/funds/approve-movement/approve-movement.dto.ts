import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBusinessInstant, OptionalField } from '../../../http/dto-rules';
import { DATE_FORMS } from '../funds.dto';

/**
 * The optional body of an approval: when it was decided. Recording after the fact (a network
 * loading its past years) dates the approval then; the postings keep the movement's own date.
 */
export class DecisionDto {
  @ApiPropertyOptional({
    description:
      'Business date of the decision; defaults to now. Not in the future, not before the request (the earlier of its ' +
      `\`effectiveAt\` and when it was recorded), not in a closed period. ${DATE_FORMS}`,
    example: '2026-03-02',
  })
  @OptionalField()
  @IsBusinessInstant()
  effectiveAt?: string;
}
