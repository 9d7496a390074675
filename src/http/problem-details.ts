/** An RFC 9457 problem document, as every error of this API is answered. */
export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  readonly instance?: string;
  readonly errors?: readonly FieldError[];
  readonly [extension: string]: unknown;
}

/** One bad field of a request: a dotted path (`lines.0.amountMinor`) and what is wrong with it. */
export interface FieldError {
  readonly field: string;
  readonly messages: readonly string[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem types are relative URIs naming the stable code, e.g. `/problems/fund.not-found`. */
export function problemType(code: string): string {
  return `/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function titleFor(status: number): string {
  return TITLES[status] ?? 'Error';
}

/** A problem document; extensions first, so a detail of the same name never overwrites a standard member. */
export function problemDocument(
  status: number,
  code: string,
  instance: string,
  detail: string,
  extensions: Record<string, unknown> = {},
): ProblemDocument {
  return { ...extensions, type: problemType(code), title: titleFor(status), status, code, detail, instance };
}
