// Screenshots of every tab in English and French at 100%, and the Hours tab at 200% zoom
// (a 1280×900 window zoomed to 200% lays out in 640×450 CSS pixels): nothing may be
// wider than the window, no control cut off. Written to docs/screenshots/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, screenshot, serve } from './harness.mjs';

const TABS = ['hours', 'apps', 'crisis', 'held', 'report', 'diagnostics'];
let server;
let browser;

before(async () => {
  server = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function settle(page) {
  await page.waitForFunction(() => {
    const p = document.querySelector('[data-testid="preview"]');
    return !p || !/Checking|Vérification/.test(p.textContent ?? '');
  });
  await page.evaluate(() => document.fonts.ready);
}

for (const lang of ['en', 'fr']) {
  test(`each tab in ${lang}`, async () => {
    const { context, page, problems } = await open(browser, server.url, { lang });
    try {
      for (const tab of TABS) {
        await page.getByTestId(`tab-${tab}`).click();
        await page.getByTestId(`panel-${tab}`).waitFor();
        await settle(page);
        await screenshot(page, `${tab}-${lang}.png`);
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}

test('readable at 200% zoom: no horizontal scrolling, no control cut off', async () => {
  const { context, page, problems } = await open(browser, server.url, {
    viewport: { width: 640, height: 450 },
    scale: 2,
  });
  try {
    for (const tab of TABS) {
      await page.getByTestId(`tab-${tab}`).click();
      await page.getByTestId(`panel-${tab}`).waitFor();
      await settle(page);
      const overflow = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const cut = [...document.querySelectorAll('input, select, button, label, p, dd, li, .track')]
          .filter((el) => !el.closest('.sr-only') && el.getClientRects().length)
          .filter((el) => {
            const r = el.getBoundingClientRect();
            return r.left < -1 || r.right > width + 1;
          })
          .map((el) => `${el.tagName} ${el.getAttribute('data-testid') ?? el.textContent?.slice(0, 30)}`);
        return { scroll: document.documentElement.scrollWidth, width, cut };
      });
      assert.ok(overflow.scroll <= overflow.width, `${tab}: page ${overflow.scroll}px wide in a ${overflow.width}px window`);
      assert.deepEqual(overflow.cut, [], `${tab}: controls cut off`);
      if (tab === 'hours') await screenshot(page, 'hours-en-200.png', { whole: false, from: 'preview' });
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
