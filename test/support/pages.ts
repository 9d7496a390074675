import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** One browser's worth of cookies for Fastify's inject: set-cookie in, cookie out. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(setCookie: unknown): void {
    const list = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
    for (const line of list.map(String)) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

export interface PageResponse {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  readonly text: string;
  readonly raw: Buffer;
}

/** A person with a browser: GETs and form POSTs through inject, carrying their cookies. */
export class Visitor {
  readonly jar = new CookieJar();
  /** `headers`: sent with every request (e.g. a proxy's X-Forwarded-Proto). */
  constructor(
    private readonly app: NestFastifyApplication,
    private readonly headers: Record<string, string> = {},
  ) {}

  async get(url: string): Promise<PageResponse> {
    const r = await this.app.inject({ method: 'GET', url, headers: { ...this.headers, cookie: this.jar.header() } });
    this.jar.take(r.headers['set-cookie']);
    return { status: r.statusCode, headers: r.headers, text: r.body, raw: r.rawPayload };
  }

  async post(url: string, fields: Record<string, string>): Promise<PageResponse> {
    const r = await this.app.inject({
      method: 'POST',
      url,
      headers: { ...this.headers, cookie: this.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    });
    this.jar.take(r.headers['set-cookie']);
    return { status: r.statusCode, headers: r.headers, text: r.body, raw: r.rawPayload };
  }
}

/** The value of a hidden input in a page. */
export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no hidden field ${name} in the page`);
  return match[1];
}

/** Signs a visitor in through the link's two steps (open, then press the button); answers the final response. */
export async function signIn(visitor: Visitor, url: string): Promise<PageResponse> {
  const path = url.replace(/^https?:\/\/[^/]+/, '');
  const opened = await visitor.get(path);
  if (opened.status !== 200) return opened;
  return visitor.post('/sign-in', { token: hiddenField(opened.text, 'token'), _csrf: hiddenField(opened.text, '_csrf') });
}
