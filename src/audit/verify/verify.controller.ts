import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../http/auth';
import { EventStore } from '../../event-store/event-store.port';
import { VerifyReport, storeProbe, verifyLog } from './verify-log';
import { LEDGER_EVENT_RULES } from '../event-rules';

@ApiTags('audit')
@Controller('v1/audit')
export class VerifyController {
  constructor(private readonly store: EventStore) {}

  @Get('verify')
  @Roles('auditor', 'steward')
  @ApiOkResponse({ description: 'Every hash, stream link and log position recomputed; the first broken event, if any.' })
  verify(): Promise<VerifyReport> {
    return verifyLog(this.store.readAll(), { gapFreePositions: this.store.positionsAreGapFree, rules: LEDGER_EVENT_RULES, probe: storeProbe(this.store) });
  }
}
