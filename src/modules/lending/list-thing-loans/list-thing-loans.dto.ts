import { PageQueryDto } from '../../../http/query.dto';
import { OptionalUuid, AsOfParam, OptionalEnum } from '../shared/lending-dto-rules';

export const THING_LOAN_STATUSES = ['reserved', 'out', 'overdue', 'returned', 'renewed', 'lost', 'damaged', 'cancelled'] as const;

export class ListThingLoansQueryDto extends PageQueryDto {
  @OptionalEnum(THING_LOAN_STATUSES, 'Status as of `asOf`.') status?: (typeof THING_LOAN_STATUSES)[number];
  @AsOfParam('Status as of this business day (YYYY-MM-DD); default today.') asOf?: string;
  @OptionalUuid('Only loans this cooperative lent or borrowed.') cooperativeId?: string;
  @OptionalUuid('Only loans of this resource.') resourceId?: string;
}
