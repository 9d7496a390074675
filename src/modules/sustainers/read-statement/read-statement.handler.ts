import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { LEDGER_CONFIG } from '../../../commands/ledger-core.module';
import { DEFAULT_ORGANISATION_NAME, type LedgerConfig } from '../../../config';
import type { Actor } from '../../../shared/decider';
import { SustainersReader } from '../sustainers-reads';
import { Statement, statementOf } from './statement';

export class ReadStatementQuery {
  constructor(
    readonly viewer: Actor,
    readonly sustainerId: string,
    readonly year: number,
  ) {}
}

/** A sustainer's statement of the year, for stewards, auditors and the sustainer itself (anyone else: SUSTAINER.NOT_FOUND). */
@QueryHandler(ReadStatementQuery)
export class ReadStatementHandler implements IQueryHandler<ReadStatementQuery, Statement> {
  constructor(
    private readonly reader: SustainersReader,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute({ viewer, sustainerId, year }: ReadStatementQuery): Promise<Statement> {
    const row = this.reader.visible(viewer, sustainerId);
    return statementOf(this.reader, viewer, row, year, this.config.organisationName ?? DEFAULT_ORGANISATION_NAME);
  }
}
