import { Controller, Get, Inject, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LEDGER_CONFIG } from '../../../commands/ledger-core.module';
import type { LedgerConfig } from '../../../config';
import { Public } from '../../../http/auth';
import { Clock } from '../../../shared/clock';
import { page } from '../layout';
import { PageExceptionFilter, PageRequest, organisationName, sendPage, viewerOf } from '../page-http';
import { SealSource } from '../seams';
import { Sessions } from '../sessions';
import { TransparencySource } from './transparency-source';
import { transparencyBody } from './transparency.view';

/** The public transparency page at `/`: no sign-in, no script, every figure an aggregate. */
@ApiExcludeController()
@Controller()
@Public()
@UseFilters(PageExceptionFilter)
export class TransparencyPageController {
  constructor(
    private readonly source: TransparencySource,
    private readonly seals: SealSource,
    private readonly sessions: Sessions,
    private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get()
  async show(@PageRequest() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const asOf = this.clock.now().toISOString().slice(0, 10);
    const [report, latestSeal] = await Promise.all([this.source.report(asOf), this.seals.latest()]);
    const session = this.sessions.current(request);
    const organisation = organisationName(this.config);
    sendPage(
      reply,
      200,
      page({ title: 'Where the money goes', organisationName: organisation, viewer: viewerOf(session, 'My page') }, transparencyBody(report, latestSeal, organisation)),
      // The public page is the same for everyone but for the sign-out link of a signed-in viewer.
      { private: session !== undefined },
    );
  }
}
