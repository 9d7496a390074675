import { PageQueryDto } from '../../../http/query.dto';

export class ListCooperativesQueryDto extends PageQueryDto {}
