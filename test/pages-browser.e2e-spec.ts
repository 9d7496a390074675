import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { World, seedWorld } from './support/fixtures';
import { pdfText } from './support/pdf-text';

/**
 * The pages as their people use them, in headless Chromium (Debian's `chromium`, driven by
 * playwright-core): sign in through a link, click through, reserve a resource, download a PDF
 * and read its text, fail to reach another person's page, and run axe-core on every page.
 * One browser for the file; each person gets their own context (cookies). The latest
 * screenshots are kept in docs/screenshots/ for the README.
 */
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p): p is string => Boolean(p && existsSync(p)));
const SHOTS = join(__dirname, '..', 'docs', 'screenshots');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The page's own globals, for code that runs in the browser (the project compiles without the DOM library). */
interface InPage {
  readonly document: { readonly activeElement: { readonly textContent: string | null } | null };
  readonly axe: { run(context: unknown, options: unknown): Promise<{ violations: unknown[] }> };
}

// eslint-disable-next-line no-console
if (!CHROMIUM) console.log('Browser tests: SKIPPED because no chromium was found (apt-get install chromium, or set CHROMIUM_PATH)');
const describeWithBrowser = CHROMIUM ? describe : describe.skip;

jest.setTimeout(90_000);

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Serious and critical accessibility violations of the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const page = globalThis as unknown as InPage;
    return (await page.axe.run(page.document, { resultTypes: ['violations'] })).violations;
  }) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

describeWithBrowser('the pages in a browser', () => {
  let world: World;
  let browser: Browser;
  let base: string;

  const linkFor = async (role: 'sustainer' | 'cooperative', subjectId: string): Promise<string> => {
    const r = await world.t.request('POST', '/v1/sign-in-links', { token: world.tokens.steward, body: { role, subjectId } });
    expect(r.status).toBe(201);
    return `${base}${new URL(r.body.url).pathname}${new URL(r.body.url).search}`;
  };

  /** A person's own browser: a phone-sized window; CSP bypassed only so axe-core can be injected. */
  const personContext = (): Promise<BrowserContext> =>
    browser.newContext({ viewport: { width: 412, height: 915 }, bypassCSP: true, acceptDownloads: true });

  const signIn = async (page: Page, url: string) => {
    await page.goto(url);
    await page.getByRole('button', { name: 'Sign in to my page' }).click();
    await page.waitForURL(`${base}/my`);
  };

  beforeAll(async () => {
    world = await seedWorld({ orgName: 'Mutual Aid Network Inc.', orgAddress: '1 Main Street, Springfield', orgTaxId: '12-3456789' });
    await world.t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(world.t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await world?.t.close();
  });

  it('shows the public page to anyone, keyboard first, with no serious accessibility violation', async () => {
    const context = await personContext();
    const page = await context.newPage();
    const response = await page.goto(`${base}/`);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Where the money goes');
    expect(await page.getByRole('img', { name: /Spent by month in 2026/ }).count()).toBe(1);
    // No chart of gifts when every month's are withheld; the table says so.
    expect(await page.getByRole('img', { name: /Gifts received by month in 2026/ }).count()).toBe(0);
    expect(await page.getByRole('table', { name: /Gifts received by month, 2026/ }).count()).toBe(1);
    // Two sustainers gave in 2026: fewer than five, so their gifts are not shown (as in GET /v1/transparency/report).
    await expect(page.getByRole('main').textContent()).resolves.toContain('not shown: fewer than 5 sustainers gave');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'transparency.png'), fullPage: true });
    // The first Tab lands on the skip link, which moves focus to the content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).toBe('main');
    await context.close();
  });

  it('lets a sustainer sign in through a link, see their page, download a PDF statement, and not reach another\'s gift', async () => {
    const context = await personContext();
    const page = await context.newPage();
    const url = await linkFor('sustainer', world.ids.sustainerId.own);
    await page.goto(url);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sign in to my page' }).click();
    await page.waitForURL(`${base}/my`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your giving, Sam');
    await page.getByText(/^Schedule/).first().click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'sustainer.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the 2026 statement (PDF)' }).click()]);
    const text = await pdfText(readFileSync((await download.path()) as string));
    expect(text).toContain('Statement of gifts, 2026');
    expect(text).toContain('Mutual Aid Network Inc.');
    expect(text).toContain('12-3456789');
    expect(text).toContain('$20.00');

    const foreign = await page.goto(`${base}/my/gifts/${world.ids.donationId.other}/acknowledgement.pdf`);
    expect(foreign?.status()).toBe(404);
    expect(await page.textContent('main')).not.toContain(world.ids.donationId.other);
    expect(await seriousViolations(page)).toEqual([]);

    // The used link does not open a second session, in a fresh browser.
    const stranger = await (await personContext()).newPage();
    expect((await stranger.goto(url))?.status()).toBe(404);
    expect((await stranger.goto(`${base}/my`))?.url()).toBe(`${base}/sign-in`);

    await page.goto(`${base}/my`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/`);
    expect((await page.goto(`${base}/my`))?.url()).toBe(`${base}/sign-in`);
    await context.close();
  });

  it('lets a cooperative member reserve a resource from their page, and shows a refusal in words', async () => {
    const context = await personContext();
    const page = await context.newPage();
    await signIn(page, await linkFor('cooperative', world.ids.cooperativeId.own));
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Alpha');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Resource', { exact: true }).selectOption(world.ids.resourceId.other);
    await page.getByLabel(/^From/).fill('2026-10-20');
    await page.getByLabel(/^Until/).fill('2026-10-25');
    await page.getByRole('button', { name: 'Reserve' }).click();
    await page.waitForURL(`${base}/my?done=reserved`);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Reserved.');
    expect(await page.getByRole('row', { name: /20 October 2026/ }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'cooperative.png'), fullPage: true });

    // The same days again: the API's rule, shown on the page.
    await page.getByLabel('Resource', { exact: true }).selectOption(world.ids.resourceId.other);
    await page.getByLabel(/^From/).fill('2026-10-21');
    await page.getByLabel(/^Until/).fill('2026-10-22');
    const [refused] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/my/reservations')), page.getByRole('button', { name: 'Reserve' }).click()]);
    expect(refused.status()).toBe(409);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('LOAN.RESERVATION_OVERLAPS');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
