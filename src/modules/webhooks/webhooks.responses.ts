import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const INSTANT = { type: 'string', format: 'date-time', example: '2026-10-01T10:00:00.000Z' } as const;
const POSITION = { type: 'integer', description: 'The log position of the write (also the `Ledger-Position` header).' } as const;

export class WebhookRegisteredDto {
  @ApiProperty({ format: 'uuid' }) subscriptionId!: string;
  @ApiProperty({ description: 'The signing secret, `whsec_…`: shown this once; keep it with the receiver.' }) secret!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ type: [String] }) eventTypes!: string[];
  @ApiProperty({ enum: ['active'] }) status!: string;
  @ApiProperty(POSITION) position!: number;
}

export class WebhookChangedDto {
  @ApiProperty({ format: 'uuid' }) subscriptionId!: string;
  @ApiProperty({ enum: ['active', 'paused', 'deleted'] }) status!: string;
  @ApiProperty(POSITION) position!: number;
}

export class WebhookDeliveryDto {
  @ApiProperty({
    enum: ['idle', 'delivering', 'retrying', 'paused', 'stopped', 'disabled', 'standby'],
    description: '`disabled`: this instance does not deliver (LEDGER_WEBHOOK_DELIVERY=off); `standby`: another instance holds the singleton lease and delivers.',
  })
  state!: string;
  @ApiProperty({ type: 'integer', description: 'Global position of the last event handled (delivered, or not of the subscribed types): the durable checkpoint.' })
  position!: number;
  @ApiProperty({ type: 'integer', description: 'Log head minus position.' }) lag!: number;
  @ApiProperty({ type: 'integer', description: 'Events delivered (acknowledged with a 2xx).' }) delivered!: number;
  @ApiProperty({ type: 'integer', description: 'Failed attempts, all told.' }) failedAttempts!: number;
  @ApiProperty({ type: 'integer', description: 'Failed attempts since the last success.' }) consecutiveFailures!: number;
  @ApiPropertyOptional(INSTANT) lastDeliveredAt?: string;
  @ApiPropertyOptional(INSTANT) lastAttemptAt?: string;
  @ApiPropertyOptional({ description: 'Why the last attempt failed (`HTTP 503`, `request failed (ECONNREFUSED)`, …).' }) lastError?: string;
  @ApiPropertyOptional({ ...INSTANT, description: 'When the failed batch is tried again.' }) nextAttemptAt?: string;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) subscriptionId!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ type: [String] }) eventTypes!: string[];
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ enum: ['active', 'paused', 'deleted'] }) status!: string;
  @ApiProperty() registeredBy!: string;
  @ApiProperty(INSTANT) registeredAt!: string;
  @ApiProperty({ type: 'integer', description: 'Delivery starts after this log position.' }) registeredPosition!: number;
  @ApiProperty(INSTANT) changedAt!: string;
  @ApiProperty({ type: WebhookDeliveryDto }) delivery!: WebhookDeliveryDto;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto] }) items!: WebhookDto[];
  @ApiPropertyOptional({ description: 'The `after` of the next page; absent on the last page.' }) next?: string;
}
