import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { AuditModule } from './audit/audit.module';
import { LedgerCoreModule, LedgerCoreOverrides } from './commands/ledger-core.module';
import { ledgerWiring } from './composition';
import { DEFAULT_AUTH_FAILURE_LIMIT, DEFAULT_AUTH_FAILURE_WINDOW_MS, LedgerConfig } from './config';
import { HealthController } from './health/health.controller';
import { AuthGuard, TokenDirectory } from './http/auth';
import { AuthThrottle, authThrottleFor } from './http/auth-throttle';
import { ReadModelTokenDirectory } from './modules/access/api-token/token-directory';
import { DeclaredInputsInterceptor } from './http/declared-inputs.interceptor';
import { JsonParse, parseJsonBody } from './http/json-body';
import { buildOpenApiDocument } from './http/openapi';
import { PROBLEM_CONTENT_TYPE, problemDocument } from './http/problem-details';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { RouteTable } from './http/route-table';
import { gateWhileRebuilding } from './http/rebuild-gate';
import { ProjectionRunner } from './projections/projection-runner';
import { strictValidationPipe } from './http/validation';
import { AccountabilityModule } from './modules/accountability/accountability.module';
import { FundsModule } from './modules/funds/funds.module';
import { LandTrustModule } from './modules/land-trust/land-trust.module';
import { LedgerModule } from './modules/ledger/ledger.module';
import { LendingModule } from './modules/lending/lending.module';
import { PagesModule } from './modules/pages/pages.module';
import { acceptPageForms } from './modules/pages/page-routes';
import { SustainersModule } from './modules/sustainers/sustainers.module';
import { AccessModule } from './modules/access/access.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';
import { AccountingModule } from './modules/accounting/accounting.module';
import { KafkaRelayModule } from './relay/kafka/kafka-relay.module';
import { SharedStateModule } from './shared-state/shared-state.module';
import { secureAnswers } from './http/security-headers';
import { LedgerMetrics } from './observability/ledger-metrics';
import { createLogger } from './observability/logger';
import { MetricsController } from './observability/metrics.controller';
import { MetricsRegistry } from './observability/metrics-registry';
import { ObservabilityModule } from './observability/observability.module';
import { RequestRecorder, observeRequests } from './observability/request-log';
import { looksLikeTokenSecret } from './shared/token-secret';
import type { DestinationStream, Logger as Pino } from 'pino';

/** Holds the one AuthThrottle of the application, for every module. */
@Module({})
class AuthThrottleModule {}

@Module({})
class AppModule {
  static create(
    config: LedgerConfig,
    overrides: LedgerCoreOverrides,
    routes: RouteTable,
    log: Pino,
    metrics: MetricsRegistry,
    throttle: AuthThrottle,
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot(log, metrics),
        // The failed-authentication throttle: the guard's, and the sign-in pages' (a link is a credential too).
        { module: AuthThrottleModule, global: true, providers: [{ provide: AuthThrottle, useValue: throttle }], exports: [AuthThrottle] },
        LedgerCoreModule.forRoot(config, ledgerWiring(), overrides),
        // What instances on one log share, and the lease on the singleton duties (sealing, relay, webhooks).
        SharedStateModule.forRoot(config),
        FundsModule,
        LedgerModule,
        LandTrustModule,
        LendingModule,
        SustainersModule,
        AccountabilityModule,
        AccessModule,
        WebhooksModule,
        AccountingModule,
        PagesModule,
        AuditModule,
        // The relay publishes the log to Kafka only where KAFKA_BROKERS is set.
        ...(config.kafkaBrokers ? [KafkaRelayModule.forRoot(config)] : []),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        LedgerMetrics,
        { provide: TokenDirectory, useClass: ReadModelTokenDirectory },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: DeclaredInputsInterceptor },
        { provide: RouteTable, useValue: routes },
      ],
    };
  }
}

/**
 * The request id: the caller's `X-Request-Id` when it is 1 to 100 of `A-Z a-z 0-9 _ . -` (and not
 * a token secret sent there by mistake, which would end up in the log), else a new UUID.
 */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) && !looksLikeTokenSecret(given) ? given : randomUUID();
}

export interface AppOverrides extends LedgerCoreOverrides {
  /** `false`: no logs at all (the tests' default). */
  readonly logger?: false;
  /** Where the JSON log goes instead of stdout (a test reads it), at config.logLevel. */
  readonly logStream?: DestinationStream;
}

/** Builds the HTTP application (not yet listening); main.ts and the end-to-end tests share it. */
export async function createApp(config: LedgerConfig, overrides: AppOverrides = {}): Promise<NestFastifyApplication> {
  const silent = overrides.logger === false && !overrides.logStream;
  const log = createLogger(silent ? 'silent' : (config.logLevel ?? 'info'), overrides.logStream);
  const metrics = new MetricsRegistry();
  let recorder: RequestRecorder | undefined;
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // Behind a reverse proxy the client's address (the authentication throttle's key) and
    // scheme come from its X-Forwarded-* headers, believed from the listed proxies only.
    trustProxy: config.trustProxy && config.trustProxy.length > 0 ? [...config.trustProxy] : false,
    genReqId: requestIdOf,
    // Errors Fastify answers before any route (and so before Nest, and any hook) runs.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      recorder?.recordWithoutHooks(request, reply);
      answerFrameworkError(error, request, reply);
    },
  });
  const routes = new RouteTable();
  acceptOnlyJson(adapter.getInstance());
  const throttle = await authThrottleFor(adapter.getInstance(), {
    limit: config.authFailureLimit ?? DEFAULT_AUTH_FAILURE_LIMIT,
    windowMs: config.authFailureWindowMs ?? DEFAULT_AUTH_FAILURE_WINDOW_MS,
  });
  // The HTML pages' forms (urlencoded); every other route still answers a form with 415.
  acceptPageForms(adapter.getInstance());
  adapter.getInstance().addHook('onRoute', (route) => routes.add(route));
  recorder = observeRequests(adapter.getInstance(), log, metrics);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.create(config, overrides, routes, log, metrics, throttle), adapter, {
    // Nest's own logs wait for its pino logger (below), then go through it as JSON.
    ...(silent ? { logger: false as const } : { bufferLogs: true }),
    abortOnError: false,
    // Nest's own parsers would accept urlencoded forms and parse JSON without bounds.
    bodyParser: false,
  });
  if (!silent) {
    app.useLogger(app.get(PinoNestLogger));
    // Nest flushes what it buffered only at listen(); the tests never listen.
    app.flushLogs();
  }
  secureAnswers(app, config.corsOrigins);
  const projections = app.get(ProjectionRunner);
  gateWhileRebuilding(adapter.getInstance(), () => projections.rebuilding());
  app.useGlobalPipes(strictValidationPipe());
  app.enableShutdownHooks();

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

/**
 * The one body parser: `application/json`, bounded (see json-body.ts) before it reaches any
 * handler. Every other media type, forms, text and multipart included, has no parser and so is
 * answered 415 by Fastify. The secure parser Fastify uses by default still does the parsing, so
 * `__proto__` and `constructor.prototype` keys stay refused.
 */
function acceptOnlyJson(fastify: FastifyInstance): void {
  const secureParser = fastify.getDefaultJsonParser('error', 'error');
  const parse: JsonParse = (text) => {
    let parsed: unknown;
    let failure: Error | null = null;
    // Fastify's default parser calls back synchronously.
    secureParser(undefined as never, text, (error, value) => {
      failure = error;
      parsed = value;
    });
    if (failure) throw failure;
    return parsed;
  };
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string, parse));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/** A URL Fastify cannot route (bad percent-encoding, an overlong segment) as a problem document. */
function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const [status, code, detail] =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? [414, 'REQUEST.URI_TOO_LONG', 'A path segment is longer than any identifier of this API.']
      : error.code === 'FST_ERR_BAD_URL'
        ? [400, 'REQUEST.BAD_URL', 'The URL is not valid (bad percent-encoding).']
        : [400, 'REQUEST.MALFORMED', 'The request could not be routed.'];
  void reply
    .status(status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    // This answer skips the hooks (see request-log.ts): it carries its request id itself.
    .header('x-request-id', String(request.id))
    .send(problemDocument(status, code, request.url, detail));
}
