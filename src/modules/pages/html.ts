/**
 * Server-side HTML with tagged template literals. Every interpolated value is escaped unless it
 * is itself the output of `html` (an `Html`), so a template cannot forget to escape: there is
 * no way to insert raw text but `Html`, and the only producers of `Html` are `html` itself and
 * `trustedSvgNumber`-free helpers in this module. Attribute values must be quoted in templates;
 * the escaping covers both quote characters.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Text made safe for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Joins rendered fragments (a list of rows) into one. */
export function join(parts: readonly Html[]): Html {
  return new Html(parts.map((p) => p.value).join(''));
}
