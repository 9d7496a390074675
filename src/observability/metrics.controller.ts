import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../http/auth';
import { MetricsRegistry } from './metrics-registry';

/**
 * `GET /metrics`: every series of the MetricsRegistry in the Prometheus text format, for a steward
 * or auditor token (Prometheus sends it with `authorization.credentials_file`). On the service's
 * own port: the figures say how busy the ledger is and how far its projections are, nothing a
 * stranger should read, and one port keeps one TLS and one firewall rule.
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  @Roles('steward', 'auditor')
  @ApiOperation({ summary: 'Prometheus metrics: requests, store appends and commits, projection and relay lag, process' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'The Prometheus text exposition format (version 0.0.4); the series are listed in the README (Operations).',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.header('content-type', this.metrics.contentType);
    return this.metrics.text();
  }
}
