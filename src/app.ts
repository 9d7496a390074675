import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AuditModule } from './audit/audit.module';
import { LedgerCoreModule, LedgerCoreOverrides } from './commands/ledger-core.module';
import { LedgerConfig } from './config';
import { HealthController } from './health/health.controller';
import { AuthGuard } from './http/auth';
import { buildOpenApiDocument } from './http/openapi';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { strictValidationPipe } from './http/validation';
import { FundsModule } from './modules/funds/funds.module';
import { LandTrustModule } from './modules/land-trust/land-trust.module';
import { LendingModule } from './modules/lending/lending.module';
import { SustainersModule } from './modules/sustainers/sustainers.module';
import { KafkaRelayModule } from './relay/kafka/kafka-relay.module';

@Module({})
class AppModule {
  static create(config: LedgerConfig, overrides: LedgerCoreOverrides): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LedgerCoreModule.forRoot(config, overrides),
        FundsModule,
        LandTrustModule,
        LendingModule,
        SustainersModule,
        AuditModule,
        // The relay publishes the log to Kafka only where KAFKA_BROKERS is set.
        ...(config.kafkaBrokers ? [KafkaRelayModule.forRoot(config)] : []),
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}

/** Builds the HTTP application (not yet listening); main.ts and the end-to-end tests share it. */
export async function createApp(
  config: LedgerConfig,
  overrides: LedgerCoreOverrides & { logger?: false } = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
  });
  // JSON only: a text/plain body is refused with 415 instead of reaching validation as a string.
  adapter.getInstance().removeContentTypeParser('text/plain');
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.create(config, overrides), adapter, {
    logger: overrides.logger ?? ['log', 'warn', 'error'],
    abortOnError: false,
  });
  app.useGlobalPipes(strictValidationPipe());
  app.enableShutdownHooks();

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
