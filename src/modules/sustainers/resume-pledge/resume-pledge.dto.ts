import { PledgeFromDto } from '../pledge-change.dto';

export class ResumePledgeDto extends PledgeFromDto {}
