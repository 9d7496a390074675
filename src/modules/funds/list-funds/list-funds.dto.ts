import { PageQueryDto } from '../../../http/query.dto';

/** Funds by code: `after` is the last code of the previous page (the `next` it answered). */
export class ListFundsQueryDto extends PageQueryDto {}
