import { PageQueryDto } from '../../../http/query.dto';
import { OptionalUuid, AsOfParam, OptionalEnum } from '../shared/lending-dto-rules';

export const LOAN_STANDINGS = ['current', 'behind', 'repaid', 'forgiven'] as const;

/** A loan from a fund awaiting approval, or one that was refused. */
export const LOAN_REQUEST_STATUSES = ['pending', 'rejected'] as const;

export class ListMoneyLoansQueryDto extends PageQueryDto {
  @AsOfParam('Standing as of this business day (YYYY-MM-DD); default today.') asOf?: string;
  @OptionalUuid('Only loans this cooperative lent or borrowed.') cooperativeId?: string;
  @OptionalEnum([...LOAN_STANDINGS, ...LOAN_REQUEST_STATUSES], 'Standing as of `asOf`; `pending` and `rejected` list loans from a fund awaiting or refused approval.')
  status?: (typeof LOAN_STANDINGS)[number] | (typeof LOAN_REQUEST_STATUSES)[number];
}
