/**
 * Text the ledger stores and hashes must be exactly what a reader gets back: well-formed Unicode
 * (no lone UTF-16 surrogates, which JSON encoders and SQLite replace silently, so the stored
 * string would differ from the hashed one), no control characters, and no surrounding spaces
 * (`" Acme"` and `"Acme"` would be two payees and two account addresses).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export interface TextRules {
  /** Tabs and line breaks are allowed inside (descriptions, notes). */
  readonly multiline?: boolean;
}

/** Why a string breaks the text rules, or undefined when it keeps them. */
export function textProblem(value: string, rules: TextRules = {}): string | undefined {
  if (!value.isWellFormed()) return 'contains a lone UTF-16 surrogate (malformed Unicode)';
  if ((rules.multiline ? CONTROL_EXCEPT_LINES : CONTROL).test(value)) return 'contains a control character';
  if (value.trim() !== value) return 'has leading or trailing whitespace';
  return undefined;
}

export function isCleanText(value: unknown, rules: TextRules = {}): value is string {
  return typeof value === 'string' && textProblem(value, rules) === undefined;
}
