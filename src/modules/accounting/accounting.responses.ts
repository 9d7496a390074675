import { ApiProperty } from '@nestjs/swagger';

export class GlLineDto {
  @ApiProperty({ type: 'string', format: 'date' }) date!: string;
  @ApiProperty({ type: 'integer', description: 'The journal entry: the global log position of the event that posted it.' }) journal!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() eventType!: string;
  @ApiProperty() movementId!: string;
  @ApiProperty() accountCode!: string;
  @ApiProperty({ description: 'Full name on the chart of accounts, `:`-separated.' }) account!: string;
  @ApiProperty({ type: 'integer' }) debitMinor!: number;
  @ApiProperty({ type: 'integer' }) creditMinor!: number;
  @ApiProperty() currency!: string;
  @ApiProperty() memo!: string;
  @ApiProperty({ description: 'The income source, payee or vendor, `sustainer <id>` or `cooperative <id>`; empty for a transfer between funds.' }) counterparty!: string;
}

export class GeneralLedgerDto {
  @ApiProperty({ type: 'string', format: 'date' }) from!: string;
  @ApiProperty({ type: 'string', format: 'date' }) to!: string;
  @ApiProperty({ type: [GlLineDto] }) lines!: GlLineDto[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'object', properties: { debitMinor: { type: 'integer' }, creditMinor: { type: 'integer' } }, required: ['debitMinor', 'creditMinor'] }, description: 'Per currency; debits equal credits.' })
  totals!: Record<string, { debitMinor: number; creditMinor: number }>;
}

export class ChartAccountDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['asset', 'equity', 'income', 'expense'] }) type!: string;
  @ApiProperty() currency!: string;
  @ApiProperty() placeholder!: boolean;
  @ApiProperty() description!: string;
}

export class ChartOfAccountsDto {
  @ApiProperty({ type: [ChartAccountDto] }) accounts!: ChartAccountDto[];
}
