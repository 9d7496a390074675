import type { FastifyReply } from 'fastify';
import { toCsv } from '../../../shared/csv';
import type { Statement } from './statement';

const STATEMENT_COLUMNS = [
  'date_received', 'donation_id', 'fund_code', 'amount_minor', 'currency', 'method', 'goods_or_services_provided',
  'goods_services_value_minor', 'refunded_on', 'acknowledgement_required', 'organisation_name',
];

/** One row per gift, through the one CSV writer (RFC 4180, formula characters defused). */
export function statementCsv(statement: Statement): string {
  const rows = statement.gifts.map((g) => [
    g.dateReceived, g.donationId, g.fundCode ?? '', g.amountMinor, g.currency, g.method, g.goodsOrServicesProvided ? 'yes' : 'no',
    g.goodsServicesValueMinor, g.refundedOn ?? '', g.acknowledgement ? 'yes' : 'no', statement.organisationName,
  ]);
  return toCsv(STATEMENT_COLUMNS, rows);
}

/** JSON by default; CSV when the client asks for text/csv. */
export function renderStatement(statement: Statement, accept: string | undefined, reply: FastifyReply, name: string): Statement | string {
  if (!accept || !/\btext\/csv\b/i.test(accept)) return statement;
  void reply.header('content-type', 'text/csv; charset=utf-8');
  void reply.header('content-disposition', `attachment; filename="${name}.csv"`);
  return statementCsv(statement);
}
