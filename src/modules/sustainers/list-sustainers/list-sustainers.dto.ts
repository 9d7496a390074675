import { IdPageQueryDto } from '../sustainers-dto-rules';

export class ListSustainersQueryDto extends IdPageQueryDto {}
