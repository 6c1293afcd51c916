/**
 * GraphiQL in headless Chromium against the real gateway: the page works offline under its
 * CSP, reads a payment and cancels it, and keeps API keys out of localStorage. Every request
 * is routed: anything off the gateway's origin is refused and fails the test.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exampleDocument } from '../../src/graphiql/index.js';
import { HMAC_SEED_IDS } from '../../src/sandboxes/index.js';
import { FULL_KEY } from '../support/credentials.js';
import { globalId, startTestGateway, type TestGateway } from '../support/gateway.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const BROWSER_TIMEOUT = 60_000;
/** How long to wait for the page to show something (vitest's poll gives up after 1 s by default). */
const SHOWN = { timeout: 30_000, interval: 100 };
const PAYMENT_ID = globalId('HMAC', HMAC_SEED_IDS.requiresCaptureThb);

let gw: TestGateway;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Everything the page asked for, and what it asked for off the gateway (refused). */
let requested: string[] = [];
let offOrigin: string[] = [];
/** Console errors, uncaught page errors and CSP violations: each fails the test. */
let problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
  }
  gw = await startTestGateway({
    graphiql: { defaultHeaders: { Authorization: `Bearer ${FULL_KEY}` }, defaultDocument: exampleDocument(PAYMENT_ID) },
  });
  // A fresh temporary profile, removed on close.
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}, BROWSER_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

/** Each test in its own browser context: its own localStorage, nothing left by another test. */
beforeEach(async () => {
  gw.reset();
  requested = [];
  offOrigin = [];
  problems = [];
  context = await browser.newContext();
  const origin = new URL(gw.server.url).origin;
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    requested.push(url);
    if (new URL(url).origin === origin) return route.continue();
    offOrigin.push(url);
    return route.abort('blockedbyclient');
  });
  await context.exposeBinding('reportCspViolation', (_source, violation: string) => {
    problems.push(`CSP violation: ${violation}`);
  });
  // Browser code as text: the tests are compiled without the DOM library.
  await context.addInitScript(`
    document.addEventListener('securitypolicyviolation', (event) => {
      window.reportCspViolation(event.effectiveDirective + ' ' + event.blockedURI + ' ' + event.sample);
    });
  `);
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
}, BROWSER_TIMEOUT);

afterEach(async () => {
  await context.close();
  expect(offOrigin, 'requests off the gateway').toEqual([]);
  expect([...new Set(problems)], 'console errors, page errors, CSP violations').toEqual([]);
});

/** An element's text as read (Monaco renders spaces as no-break spaces), whitespace collapsed. */
const textOf = (selector: string) => async () => (await page.locator(selector).innerText()).replace(/\s+/g, ' ');
const responseText = textOf('.graphiql-response');
const headersText = textOf('.graphiql-editor-tool .view-lines:visible');
const executeButton = () => page.getByRole('button', { name: /^Execute query/ });

/** Opens the page and waits until GraphiQL has read the document's two operations. */
async function openGraphiQL(): Promise<void> {
  await page.goto(`${gw.server.url}/graphiql`);
  await expect.poll(textOf('.graphiql-query-editor'), SHOWN).toContain('mutation CancelPayment {');
  // With several operations, the execute button opens a menu of them.
  await expect.poll(() => executeButton().getAttribute('aria-haspopup'), SHOWN).toBe('menu');
}

/** Runs one operation of the document with the execute button, as a user does. */
async function run(operationName: 'ReadPayment' | 'CancelPayment'): Promise<void> {
  await executeButton().click();
  await page.getByRole('menuitem', { name: operationName }).click();
}

describe('GraphiQL in Chromium', () => {
  it(
    'reads a payment and cancels it once, offline, with the headers editor\'s key, Monaco\'s workers from the gateway',
    async () => {
      const graphqlRequests: Array<{ authorization?: string; contentType?: string; body: string }> = [];
      page.on('request', (request) => {
        if (request.url() === gw.server.graphqlUrl) {
          const headers = request.headers();
          graphqlRequests.push({ authorization: headers.authorization, contentType: headers['content-type'], body: request.postData() ?? '' });
        }
      });
      await openGraphiQL();
      await expect.poll(headersText, SHOWN).toContain(`"Authorization": "Bearer ${FULL_KEY}"`);

      await run('ReadPayment');
      await expect.poll(responseText, SHOWN).toContain('"providerStatus": "requires_capture", "isCancellable": true');
      expect(gw.hmac.requests.map((r) => r.method)).toEqual(['GET']);

      await run('CancelPayment');
      await expect.poll(responseText, SHOWN).toContain('"__typename": "CancelPaymentSuccess", "alreadyCanceled": false');
      expect(await responseText()).toContain('"status": "CANCELED"');
      expect(gw.hmac.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/cancel'))).toHaveLength(1);

      const operations = graphqlRequests.map((r) => (JSON.parse(r.body) as { operationName?: string }).operationName);
      expect(operations).toEqual(expect.arrayContaining(['IntrospectionQuery', 'ReadPayment', 'CancelPayment']));
      for (const request of graphqlRequests) {
        expect(request.authorization).toBe(`Bearer ${FULL_KEY}`);
        expect(request.contentType).toBe('application/json');
      }
      const paths = requested.map((url) => new URL(url).pathname);
      for (const worker of ['editor', 'json', 'graphql']) expect(paths).toContainEqual(expect.stringMatching(new RegExp(`^/graphiql/${worker}-worker-\\w+\\.js$`)));
    },
    BROWSER_TIMEOUT,
  );

  it(
    'keeps the key out of localStorage, and prefills it again after a reload; the schema loads for the docs',
    async () => {
      await openGraphiQL();
      await run('ReadPayment');
      await expect.poll(responseText, SHOWN).toContain('"status": "AUTHORIZED"');
      const stored = async () => String(await page.evaluate('JSON.stringify(Object.entries(localStorage))'));
      // The history plugin records runs (debounced): wait until it has, then look for the key.
      await expect.poll(stored, SHOWN).toContain('"graphiql:queries"');
      expect(await stored()).not.toContain(FULL_KEY);

      await page.reload();
      await expect.poll(headersText, SHOWN).toContain(`"Authorization": "Bearer ${FULL_KEY}"`);
      await page.getByRole('button', { name: /documentation explorer/i }).click();
      await expect.poll(textOf('.graphiql-doc-explorer'), SHOWN).toContain('mutation: Mutation');
      expect(await stored()).not.toContain(FULL_KEY);
    },
    BROWSER_TIMEOUT,
  );
});
