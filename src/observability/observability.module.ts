import { DynamicModule, Global, Module } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { MetricsRegistry } from './metrics-registry';

/**
 * Logs and metrics for the whole application: Nest's own logger is nestjs-pino's, writing
 * through `logger` (app.ts makes it the application's logger); inside a request every log line
 * carries the request's id (`reqId`). The request line itself is written by request-log.ts.
 * MetricsRegistry is global: any module may inject it and add its series.
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(logger: Logger, metrics: MetricsRegistry): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger,
            // The request line is request-log.ts's (it knows the route pattern and the actor).
            autoLogging: false,
            // Logs made during a request carry its id only: never its headers.
            quietReqLogger: true,
            quietResLogger: true,
            // Fastify's id (from a well-formed X-Request-Id, or a new UUID), as middie passes it.
            genReqId: (request: IncomingMessage) => String((request as IncomingMessage & { id?: unknown }).id ?? ''),
          },
        }),
      ],
      providers: [{ provide: MetricsRegistry, useValue: metrics }],
      exports: [MetricsRegistry],
    };
  }
}
