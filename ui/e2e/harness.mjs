// What the end-to-end tests share: a tiny static server for the built window (ui/dist),
// Debian's Chromium driven by playwright-core, and a page with the Tauri IPC mocked.

import { createServer } from 'node:http';
import { mkdir, readFile } from 'node:fs/promises';
import { extname, join, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = join(here, '..', 'dist');
export const MOCK = join(here, '.mock', 'ipc-mock.js');
export const SCREENSHOTS = join(here, '..', '..', 'docs', 'screenshots');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves ui/dist on a free port of 127.0.0.1; resolves to its URL and a stop function. */
export async function serve() {
  await readFile(join(DIST, 'index.html')).catch(() => {
    throw new Error('ui/dist is missing: run `npm run build` before `npm run e2e`');
  });
  const server = createServer(async (req, res) => {
    // Chromium asks for one whatever the page says; the window has none of its own.
    if (req.url === '/favicon.ico') return void res.writeHead(204).end();
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(DIST, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      if (process.env.E2E_DEBUG) console.error('404', req.url);
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, stop: () => new Promise((resolve) => server.close(resolve)) };
}

/** Debian's Chromium, headless, with nothing that reaches out to the network. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Day-month-year dates and a 24-hour clock in date inputs, as in both languages.
      '--lang=en-GB',
    ],
  });
}

/**
 * Opens the window in a fresh context with the IPC mocked. `lang` is what the `locale`
 * command answers (null: it fails, and the browser's `locale` is used). With
 * `autostartNoticeSeen: false` the window shows its first-start autostart notice.
 */
/** The page's now: the evening of the mock's data. */
export const NOW = '2026-11-27T20:00:00+01:00';

export async function open(
  browser,
  url,
  { lang = 'en', locale = 'en-GB', hash = '', viewport, scale = 1, autostartNoticeSeen = true } = {},
) {
  const context = await browser.newContext({
    viewport: viewport ?? { width: 1100, height: 900 },
    deviceScaleFactor: scale,
    locale,
    timezoneId: 'Europe/Paris',
    reducedMotion: 'reduce',
  });
  // The mock's data is a Friday evening's, 27 November 2026 (held since the afternoon, off
  // until Monday 09:00): the page's clock says so, whatever day the tests run (timers run).
  await context.clock.setFixedTime(new Date(NOW));
  await context.addInitScript({ content: `window.__COUPER_MOCK_CONFIG__ = ${JSON.stringify({ lang })};` });
  await context.addInitScript({ path: MOCK });
  // The first-start notice about autostart shows until dismissed; most tests start after.
  if (autostartNoticeSeen) {
    await context.addInitScript({ content: `localStorage.setItem('couper.autostart-notice-seen', 'test');` });
  }
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  await page.goto(url + hash);
  await page.getByTestId('save-state').waitFor();
  return { context, page, problems };
}

/** The commands the page sent to the mock, in order. */
export function calls(page) {
  return page.evaluate(() => window.__couperMock.calls.map((c) => ({ ...c })));
}

/** Waits until `check(calls)` holds, for up to `ms`. */
export async function waitForCalls(page, check, ms = 5000) {
  const until = Date.now() + ms;
  for (;;) {
    const seen = await calls(page);
    if (check(seen)) return seen;
    if (Date.now() > until) throw new Error(`calls never matched: ${JSON.stringify(seen.map((c) => c.cmd))}`);
    await page.waitForTimeout(50);
  }
}

/**
 * Writes docs/screenshots/<name>. `whole`: the window made as tall as its content (so the
 * save bar, which sticks to the window's bottom, is drawn at the end); else what fits,
 * scrolled to the element of test id `from`.
 */
export async function screenshot(page, name, { whole = true, from = null } = {}) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  const size = page.viewportSize();
  if (whole) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
  }
  if (from) await page.getByTestId(from).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  else await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENSHOTS, name) });
  await page.setViewportSize(size);
}
