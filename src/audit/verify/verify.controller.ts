import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../../http/openapi';
import { PositionQueryDto } from '../../http/query.dto';
import { WriteResponder } from '../../http/write-responder';
import { Roles } from '../../http/auth';
import { EventStore } from '../../event-store/event-store.port';
import type { VerifyReport } from './verify-log';
import { type CatalogueSource, verifyStore } from './verify-store';
import { THREAD_CATALOGUE } from '../../commands/ledger-core.module';
import { EventCatalogue } from '../../event-store/event-catalogue';
import { ledgerEventRules } from '../event-rules';
import { SealService } from '../seals/seal.service';
import { sealVerification } from '../seals/verify-seals';
import type { SealCheckSummary } from '../seals/seal-checker';

/** The verify report as the OpenAPI document describes it (documentation only; see VerifyReport). */
export class LogProblemDto {
  @ApiProperty({ example: 'HASH_MISMATCH' }) kind!: string;
  @ApiProperty({ description: 'Log position of the broken event.' }) position!: number;
  @ApiPropertyOptional() streamId?: string;
  @ApiPropertyOptional() streamVersion?: number;
  @ApiPropertyOptional() eventId?: string;
  @ApiProperty() detail!: string;
  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'number' }] }) expected?: string | number;
  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'number' }] }) actual?: string | number;
}

export class VerifyReportDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty() eventsChecked!: number;
  @ApiProperty() streamsChecked!: number;
  @ApiProperty() lastPosition!: number;
  @ApiPropertyOptional({ type: LogProblemDto }) firstProblem?: LogProblemDto;
  @ApiProperty({ type: [LogProblemDto], description: 'The first problems, in log order (bounded).' }) problems!: LogProblemDto[];
  @ApiPropertyOptional({ description: 'The Merkle tree rebuilt from the log and the seals checked in it (README, Auditing).', type: 'object', additionalProperties: true }) seals?: Record<string, unknown>;
}

@ApiTags('audit')
@Controller('v1/audit')
export class VerifyController {
  constructor(
    private readonly store: EventStore,
    private readonly responder: WriteResponder,
    private readonly catalogue: EventCatalogue,
    private readonly seals: SealService,
    /** The same catalogue, as a thread loads it; without it the rules run on this thread. */
    @Inject(THREAD_CATALOGUE) private readonly threadCatalogue: CatalogueSource | null = null,
  ) {}

  @Get('verify')
  @Roles('auditor', 'steward')
  @ApiOperation({ summary: 'Verify the whole log: hashes, stream links, positions, event schemas and postings' })
  @ApiOkResponse({ type: VerifyReportDto, description: 'Every hash, stream link and log position recomputed; the first broken event, if any.' })
  @ApiProblems(400, 401, 403)
  async verify(@Query() query: PositionQueryDto): Promise<VerifyReport & { seals?: SealCheckSummary }> {
    // The log is read directly, not a read model; waiting keeps the convention every query has.
    await this.responder.awaitPosition(query.minPosition);
    // One verification at a time: each starts verifier threads and reads the whole log, so
    // requests arriving together queue rather than multiply the threads and their memory.
    const run = this.running.then(() => this.verifyNow());
    this.running = run.catch(() => undefined);
    return run;
  }

  private running: Promise<unknown> = Promise.resolve();

  private async verifyNow(): Promise<VerifyReport & { seals?: SealCheckSummary }> {
    await this.seals.sealer.keys.refresh();
    const seals = sealVerification(this.seals.sealer.keys);
    let summary: SealCheckSummary | undefined;
    // On the embedded store the hashes, and the catalogue's rules where a thread can load the
    // catalogue, are checked in verifier threads; the seals here.
    const checks = this.threadCatalogue ? { catalogue: this.threadCatalogue, rules: [seals.rule] } : { rules: [...ledgerEventRules(this.catalogue), seals.rule] };
    const report = await verifyStore(this.store, { ...checks, onEnd: (verifier) => (summary = seals.finish(verifier)) });
    return { ...report, ...(summary ? { seals: summary } : {}) };
  }
}
