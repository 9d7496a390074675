import type PDFKitDocument from 'pdfkit';
import { toCsv } from '../../../shared/csv';
import type { Statement } from '../../sustainers';
import { decimalAmount, formatDay, formatMoney } from '../format';

/** Who issues the documents: from LEDGER_ORG_NAME, LEDGER_ORG_ADDRESS, LEDGER_ORG_TAX_ID. */
export interface Issuer {
  readonly name: string;
  readonly address?: string;
  readonly taxId?: string;
}

type Gift = Statement['gifts'][number];

const CSV_COLUMNS = [
  'sustainer_name', 'date_received', 'donation_id', 'fund', 'amount', 'currency', 'method', 'goods_or_services_provided',
  'goods_services_value', 'contribution', 'refunded_on', 'acknowledgement_required', 'organisation_name',
];

/** The sustainer's own CSV: their name on every row and decimal amounts in each currency's own minor units (the API's CSV keeps minor units). */
export function sustainerStatementCsv(statement: Statement, issuer: Issuer): string {
  const name = statement.sustainer.displayName ?? '';
  return toCsv(
    CSV_COLUMNS,
    statement.gifts.map((g) => [
      name, g.dateReceived, g.donationId, g.fundName ?? g.fundCode ?? '', decimalAmount(g.amountMinor, g.currency), g.currency, g.method,
      g.goodsOrServicesProvided ? 'yes' : 'no', decimalAmount(g.goodsServicesValueMinor, g.currency), decimalAmount(g.contributionMinor, g.currency),
      g.refundedOn ?? '', g.acknowledgement ? 'yes' : 'no', issuer.name,
    ]),
  );
}

/**
 * The US written-acknowledgement sentence about goods and services (see ../shared/DOMAIN.md:
 * organisation, amount, whether goods or services were given in return, and their value, which
 * IRS Publication 1771 asks to be stated as a good faith estimate).
 */
export function goodsSentence(issuer: Issuer, gift: Pick<Gift, 'goodsOrServicesProvided' | 'goodsServicesValueMinor' | 'currency'>): string {
  return gift.goodsOrServicesProvided
    ? `In return for this contribution, ${issuer.name} provided goods or services whose value, by its good faith estimate, is ${formatMoney(gift.goodsServicesValueMinor, gift.currency)}; only the amount of the contribution above that value may be deductible.`
    : 'No goods or services were provided in return for this contribution.';
}

/**
 * pdfkit is loaded on the first document, not at start: it costs about half a second to load,
 * which every start of the service and the CLI would otherwise pay.
 */
let pdfkit: Promise<typeof PDFKitDocument> | undefined;

async function pdf(title: string, write: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  pdfkit ??= import('pdfkit').then((m) => m.default);
  const PDFDocument = await pdfkit;
  return new Promise((resolve, reject) => {
    // A fixed creation date keeps the document a function of the ledger, not of the moment it is printed.
    const doc = new PDFDocument({ size: 'LETTER', margin: 56, info: { Title: title, Creator: 'mutual-aid-ledger', CreationDate: new Date(0) }, lang: 'en-US' });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    write(doc);
    doc.end();
  });
}

function letterhead(doc: PDFKit.PDFDocument, issuer: Issuer): void {
  doc.font('Helvetica-Bold').fontSize(16).text(issuer.name);
  doc.font('Helvetica').fontSize(10);
  if (issuer.address) doc.text(issuer.address);
  if (issuer.taxId) doc.text(`Tax id (EIN): ${issuer.taxId}`);
  doc.moveDown(1.5);
}

function donorBlock(doc: PDFKit.PDFDocument, statement: Statement): void {
  const s = statement.sustainer;
  doc.font('Helvetica').fontSize(11).text(s.displayName ?? 'A sustainer');
  if (s.postalAddress) doc.text(s.postalAddress);
  doc.moveDown();
}

/** The year statement: every gift by the day received, totals, and the acknowledgement wording; it serves as the written acknowledgement of each gift. */
export function statementPdf(statement: Statement, issuer: Issuer): Promise<Buffer> {
  return pdf(`Statement of gifts ${statement.year}`, (doc) => {
    letterhead(doc, issuer);
    doc.font('Helvetica-Bold').fontSize(14).text(`Statement of gifts, ${statement.year}`);
    doc.moveDown(0.5);
    donorBlock(doc, statement);
    doc.font('Helvetica').fontSize(10);
    if (statement.gifts.length === 0) doc.text(`No gifts were received from you in ${statement.year}.`);
    for (const g of statement.gifts) {
      const refunded = g.refundedOn ? ` (refunded ${formatDay(g.refundedOn)})` : '';
      doc.font('Helvetica-Bold').text(`${formatDay(g.dateReceived)}: ${formatMoney(g.amountMinor, g.currency)} to ${g.fundName ?? g.fundCode ?? 'a fund'}${refunded}`);
      doc.font('Helvetica').text(`Method: ${g.method}. ${goodsSentence(issuer, g)}`, { indent: 12 });
      doc.moveDown(0.4);
    }
    doc.moveDown();
    doc.font('Helvetica-Bold').text('Totals');
    doc.font('Helvetica');
    for (const t of statement.totals) {
      doc.text(`Received ${formatMoney(t.receivedMinor, t.currency)}, refunded ${formatMoney(t.refundedMinor, t.currency)}, net ${formatMoney(t.netMinor, t.currency)}; goods or services provided in return: ${formatMoney(t.goodsServicesValueMinor, t.currency)}.`);
    }
    doc.moveDown();
    doc.text(
      `${issuer.name} thanks you for your support. This statement lists every gift received from you in ${statement.year}, dated by the day the money was received, ` +
        'and serves as the written acknowledgement of each of them. Please keep it for your tax records.',
    );
  });
}

/** One gift's written acknowledgement. */
export function acknowledgementPdf(statement: Statement, gift: Gift, issuer: Issuer): Promise<Buffer> {
  return pdf(`Acknowledgement of a gift received ${gift.dateReceived}`, (doc) => {
    letterhead(doc, issuer);
    doc.font('Helvetica-Bold').fontSize(14).text('Acknowledgement of your gift');
    doc.moveDown(0.5);
    donorBlock(doc, statement);
    doc.font('Helvetica').fontSize(11);
    doc.text(
      `On ${formatDay(gift.dateReceived)}, ${issuer.name} received from you a contribution of ${formatMoney(gift.amountMinor, gift.currency)} ` +
        `to ${gift.fundName ?? gift.fundCode ?? 'its work'}, by ${gift.method}.`,
    );
    doc.moveDown(0.5);
    doc.text(goodsSentence(issuer, gift));
    if (gift.refundedOn) {
      doc.moveDown(0.5);
      doc.text(`This gift was refunded on ${formatDay(gift.refundedOn)}.`);
    }
    doc.moveDown();
    doc.text('Thank you. Please keep this acknowledgement for your tax records.');
    doc.moveDown(0.5);
    doc.fontSize(9).fillColor('#444444').text(`Reference: ${gift.donationId}`);
  });
}
