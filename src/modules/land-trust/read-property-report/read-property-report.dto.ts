import { AsOfQueryDto } from '../../../http/query.dto';

/** The property report: as of a business day. */
export class ReportQueryDto extends AsOfQueryDto {}
