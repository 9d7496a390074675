/**
 * The stack's floor for bench:http: what the decided stack alone costs a donation route. NestJS 11
 * on its Fastify adapter, the service's own strict global ValidationPipe and its own
 * `RecordDonationDto` (class-validator and class-transformer), and then only the bare baseline's
 * durable work (bench/http-baseline-store.ts). No guards, no middleware, no logging, no
 * aggregate, no read models: no route of the service can be cheaper than this one.
 *
 * Run as its own process by bench/http.bench.ts: `node dist/bench/http-nest-floor.js <dir> <port>`;
 * prints `listening <port>` when ready.
 */
import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { strictValidationPipe } from '../src/http/validation';
import { RecordDonationDto } from '../src/modules/sustainers/record-donation/record-donation.dto';
import { BaselineGift, openBaselineStore } from './http-baseline-store';

const [dir, portText] = process.argv.slice(2);
const record = openBaselineStore(dir, 'nest-floor.db');

@Controller('v1')
class FloorController {
  @Post('donations')
  @HttpCode(201)
  donate(@Body() body: RecordDonationDto) {
    return record(body as BaselineGift);
  }
}

@Module({ controllers: [FloorController] })
class FloorModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(FloorModule, new FastifyAdapter(), { logger: false });
  app.useGlobalPipes(strictValidationPipe());
  await app.listen({ port: Number(portText), host: '127.0.0.1' });
  process.stdout.write(`listening ${portText}\n`);
}

void main();
