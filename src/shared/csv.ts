import { stringify } from 'csv-stringify/sync';

/**
 * The one CSV writer: RFC 4180 quoting and CRLF line ends, and every text cell that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return) defused with a
 * leading apostrophe (OWASP's CSV injection advice). Numbers stay numbers: `-500` is not text.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return stringify([header as unknown[], ...(rows as unknown[][])], {
    escape_formulas: true,
    record_delimiter: 'windows',
    // csv-stringify quotes the record delimiter (CRLF) but not a lone CR or LF; multiline text
    // (descriptions, notes) must be quoted too, or a reader splits the record there.
    quoted_match: /[\r\n]/,
    cast: { boolean: (value) => String(value) },
  });
}
