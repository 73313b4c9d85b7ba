// The built settings window in headless Chromium, the tray app's IPC mocked: what a user
// does, and what the window sends to Rust because of it.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { calls, launch, open, serve, waitForCalls } from './harness.mjs';

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

async function withPage(options, body) {
  const { context, page, problems } = await open(browser, server.url, options);
  try {
    await body(page);
    assert.deepEqual(problems, [], 'no errors in the page');
  } finally {
    await context.close();
  }
}

const preview = (page) => page.getByTestId('preview');

async function previewSays(page, text) {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="preview"]')?.textContent?.trim() === want,
    text,
    { timeout: 5000 },
  ).catch(async () => assert.equal((await preview(page).textContent()).trim(), text));
}

/** The text of the element(s) an input's aria-describedby names. */
function description(locator) {
  return locator.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent?.trim() ?? `(missing #${id})`)
      .join(' | '),
  );
}

describe('hours', () => {
  test('editing Monday changes the preview line, computed by the preview command', () =>
    withPage({}, async (page) => {
      await previewSays(page, 'Next: off at 18:00, back Tue 09:00');
      await page.getByTestId('hours-mon-1-end').fill('17:15');
      await previewSays(page, 'Next: off at 17:15, back Tue 09:00');
      const sent = (await calls(page)).filter((c) => c.cmd === 'preview').at(-1);
      assert.deepEqual(sent.args.form.hours.mon, ['09:00-12:30', '13:30-17:15']);
      assert.equal(sent.args.form.auto_reply.en, 'Thanks for your message! We will answer {next}.', 'keys the window does not edit are kept');
    }));

  test('ranges are added and removed per day, and saved', () =>
    withPage({}, async (page) => {
      await page.getByTestId('hours-sat-add').click();
      await assert.doesNotReject(page.getByTestId('hours-sat-0-start').waitFor());
      assert.equal(await page.getByTestId('hours-sat-0-start').inputValue(), '09:00');
      assert.equal(await page.getByTestId('hours-sat-0-start').evaluate((el) => el === document.activeElement), true);
      await page.getByTestId('hours-mon-0-remove').click();
      assert.equal(await page.getByTestId('hours-mon-0-start').inputValue(), '13:30');
      await page.getByTestId('save').click();
      const saved = await waitForCalls(page, (c) => c.some((x) => x.cmd === 'save_settings'));
      const form = saved.find((c) => c.cmd === 'save_settings').args.form;
      assert.deepEqual(form.hours.mon, ['13:30-18:00']);
      assert.deepEqual(form.hours.sat, ['09:00-17:00']);
      const validated = saved.findIndex((c) => c.cmd === 'validate_settings' && c.args.form.hours.sat.length === 1);
      assert.ok(validated >= 0 && validated < saved.findIndex((c) => c.cmd === 'save_settings'), 'validated before saved');
      await page.getByText('All changes saved.').waitFor();
    }));

  test('a range is dragged on the track, snapping to 15 minutes', () =>
    withPage({}, async (page) => {
      const track = page.getByTestId('hours-tue-track');
      const box = await track.boundingBox();
      const block = page.getByTestId('hours-tue-0-block');
      const b = await block.boundingBox();
      const hour = box.width / 24;
      // Move 09:00-18:00 by about an hour and five minutes: snapped to 10:00-19:00.
      const y = b.y + b.height / 2;
      const x = b.x + b.width / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x + hour * 0.5, y, { steps: 3 });
      await page.mouse.move(x + hour * (65 / 60), y, { steps: 3 });
      await page.mouse.up();
      assert.equal(await page.getByTestId('hours-tue-0-start').inputValue(), '10:00');
      assert.equal(await page.getByTestId('hours-tue-0-end').inputValue(), '19:00');
      // Drag the end edge past midnight: the range wraps and is drawn in two pieces.
      const nb = await block.boundingBox();
      const edgeX = nb.x + nb.width - 2;
      await page.mouse.move(edgeX, y);
      await page.mouse.down();
      await page.mouse.move(edgeX + hour * 7, y, { steps: 5 });
      await page.mouse.up();
      assert.equal(await page.getByTestId('hours-tue-0-end').inputValue(), '02:00');
      assert.equal(await track.locator('.block').count(), 2, 'a range across midnight is drawn wrapping');
    }));

  test('a focused range moves and resizes with the arrow keys; Enter edits its times', () =>
    withPage({}, async (page) => {
      const block = page.getByTestId('hours-wed-0-block');
      await block.focus();
      await page.keyboard.press('ArrowRight');
      assert.equal(await page.getByTestId('hours-wed-0-start').inputValue(), '09:15');
      assert.equal(await page.getByTestId('hours-wed-0-end').inputValue(), '18:15');
      await page.keyboard.press('Shift+ArrowLeft');
      await page.keyboard.press('Shift+ArrowLeft');
      assert.equal(await page.getByTestId('hours-wed-0-end').inputValue(), '17:45');
      await page.keyboard.press('Alt+ArrowLeft');
      assert.equal(await page.getByTestId('hours-wed-0-start').inputValue(), '09:00');
      assert.equal(await block.evaluate((el) => el === document.activeElement), true, 'focus stays on the range');
      await page.keyboard.press('Enter');
      assert.equal(
        await page.getByTestId('hours-wed-0-start').evaluate((el) => el === document.activeElement),
        true,
        'Enter goes to the range’s start input',
      );
      await block.focus();
      await page.keyboard.press('Delete');
      assert.equal(await page.getByTestId('hours-wed-0-start').count(), 0);
      assert.equal(await page.getByTestId('hours-wed-add').evaluate((el) => el === document.activeElement), true);
    }));

  test('a range with equal ends shows the engine’s error next to it, and nothing is saved', () =>
    withPage({}, async (page) => {
      const end = page.getByTestId('hours-mon-0-end');
      await end.fill('09:00');
      await page.waitForFunction(() =>
        document.querySelector('[data-testid="hours-mon-0-end"]')?.getAttribute('aria-invalid') === 'true',
      );
      assert.match(await description(end), /"09:00-09:00" starts and ends at the same time/);
      assert.match(await description(page.getByTestId('hours-mon-0-start')), /starts and ends at the same time/);
      // The error sits in the same range editor as the field.
      const sameEditor = await end.evaluate((el) =>
        el.closest('.range-edit')?.querySelector('.field-error')?.textContent?.includes('starts and ends at the same time'),
      );
      assert.equal(sameEditor, true);
      await page.getByTestId('save').click();
      await page.getByText('Not saved: fix the fields marked below.').waitFor();
      await page.waitForTimeout(300);
      const sent = await calls(page);
      assert.ok(sent.some((c) => c.cmd === 'validate_settings'), 'the engine was asked');
      assert.ok(!sent.some((c) => c.cmd === 'save_settings'), 'save_settings was not called');
      assert.match(await page.getByTestId('error-summary').textContent(), /hours\.mon/);
      // Fixed, it saves.
      await end.fill('12:00');
      await page.getByTestId('save').click();
      await waitForCalls(page, (c) => c.some((x) => x.cmd === 'save_settings'));
      assert.equal(await end.getAttribute('aria-invalid'), null);
    }));

  test('time zone, holidays and time off are edited and sent as the file’s layout', () =>
    withPage({}, async (page) => {
      const zone = page.getByTestId('timezone');
      assert.equal(await zone.inputValue(), 'Europe/Paris');
      const options = await page.locator('datalist#zones option').count();
      assert.ok(options > 100, `a list of zones (${options})`);
      await zone.fill('America/Montreal');
      await page.getByTestId('holidays-fr').uncheck();
      await page.getByTestId('time-off-add').click();
      await page.getByTestId('time-off-1-start').fill('2027-02-15');
      await page.getByTestId('time-off-1-end').fill('2027-02-19');
      await page.getByTestId('time-off-1-label').fill('Ski');
      await page.getByTestId('extra-holiday-0-remove').click();
      await page.getByTestId('save').click();
      const sent = await waitForCalls(page, (c) => c.some((x) => x.cmd === 'save_settings'));
      const form = sent.find((c) => c.cmd === 'save_settings').args.form;
      assert.equal(form.timezone, 'America/Montreal');
      assert.equal('holidays' in form, false, 'no holiday calendar: the key is left out');
      assert.deepEqual(form.extra_holidays, []);
      assert.deepEqual(form.time_off[1], { start: '2027-02-15', end: '2027-02-19', label: 'Ski' });
    }));
});

describe('work apps', () => {
  test('a work browser profile is made and removed in one click; its source shows in the form', () =>
    withPage({ hash: '#apps' }, async (page) => {
      const sources = () => page.locator('[data-testid^="work-app-"][data-testid$="-app"]');
      const before = await sources().count();
      await page.getByRole('button', { name: 'Firefox: make a work profile' }).click();
      await page.getByText('Firefox (work) is made: start it from your menu.').waitFor();
      await waitForCalls(page, (c) => c.some((x) => x.cmd === 'add_browser_profile' && x.args.browser === 'firefox'));
      assert.equal(await sources().count(), before + 1);
      assert.equal(await sources().nth(before).inputValue(), 'couper-firefox-work');
      assert.match(
        await page.getByTestId('browser-firefox-data').textContent(),
        /keeps its data .* in \/home\/gwen\/\.config\/mozilla\/firefox\/couper-work/,
      );
      assert.equal(await page.getByTestId('save-state').textContent(), 'No unsaved changes.');

      await page.getByRole('button', { name: 'Firefox: remove the work profile' }).click();
      await page.getByText(/Firefox \(work\) is removed; its data stays in/).waitFor();
      assert.equal(await sources().count(), before);
      await page.getByTestId('browser-firefox-add').waitFor();
    }));

  test('"This is work" on a seen app calls add_work_app and lists it', () =>
    withPage({ hash: '#apps' }, async (page) => {
      const seen = page.getByTestId('seen-apps').locator(':scope > li');
      assert.deepEqual(
        (await seen.allTextContents()).map((t) => t.trim().split(/\s/)[0]),
        ['Signal', 'Slack', 'Chromium', 'Thunderbird'],
        'newest first, as seen_apps gives them',
      );
      await page.getByTestId('seen-Signal-add').click();
      await page.getByTestId('work-app-2-name').waitFor();
      assert.equal(await page.getByTestId('work-app-2-name').inputValue(), 'Signal');
      const sent = await calls(page);
      assert.deepEqual(sent.filter((c) => c.cmd === 'add_work_app').map((c) => c.args), [{ app: 'Signal' }]);
      await page.getByText('Signal is now a work app.').waitFor();
      assert.equal(await page.getByTestId('save-state').textContent(), 'No unsaved changes.');
    }));

  test('"This is work" on a site a browser named saves it as a work site of that browser', () =>
    withPage({ hash: '#apps' }, async (page) => {
      const sites = page.getByTestId('seen-Chromium-sites').locator('li');
      await sites.first().waitFor();
      assert.deepEqual(
        (await sites.allTextContents()).map((t) => t.trim().split(/\s/)[0]),
        ['www.linkedin.com', 'mail.example.org'],
      );
      await page.getByRole('button', { name: 'mail.example.org in Chromium: this is work' }).click();
      await page.getByText('mail.example.org is now a work site in Chromium.').waitFor();
      const sent = await waitForCalls(page, (c) => c.some((x) => x.cmd === 'save_settings'));
      const apps = sent.find((c) => c.cmd === 'save_settings').args.form.work_apps;
      assert.deepEqual(apps.at(-1), {
        name: 'Chromium (work sites)',
        app: 'Chromium',
        sites: ['mail.example.org'],
        off_hours: 'hold',
      });
      await page.getByTestId('seen-Chromium-mail.example.org-work').waitFor();
      const last = apps.length - 1;
      assert.equal(await page.getByTestId(`work-app-${last}-site-0`).inputValue(), 'mail.example.org');
      assert.equal(await page.getByTestId('save-state').textContent(), 'No unsaved changes.');
    }));

  test('a work app is edited: account, silence off hours, removal', () =>
    withPage({ hash: '#apps' }, async (page) => {
      await page.getByTestId('work-app-0-account').fill('ouest-digital');
      await page.getByTestId('work-app-0-off-hours').selectOption('drop');
      await page.getByTestId('work-app-1-account').fill('');
      await page.getByTestId('work-app-add').click();
      await page.getByTestId('save').click();
      await page.getByText('Not saved: fix the fields marked below.').waitFor();
      assert.match(await description(page.getByTestId('work-app-2-name')), /empty name/);
      await page.getByTestId('work-app-2-remove').click();
      await page.getByTestId('save').click();
      const sent = await waitForCalls(page, (c) => c.some((x) => x.cmd === 'save_settings'));
      const apps = sent.find((c) => c.cmd === 'save_settings').args.form.work_apps;
      assert.deepEqual(apps, [
        { name: 'Slack', app: 'slack', account: 'ouest-digital', off_hours: 'drop' },
        { name: 'Gmail (work account)', app: 'firefox', off_hours: 'hold' },
      ]);
    }));
});

describe('crisis and on call', () => {
  test('keywords, pass rule, repeat and rotation are edited; the next on-call periods are listed', () =>
    withPage({ hash: '#crisis' }, async (page) => {
      await page.getByTestId('on-call-next').locator('li').nth(2).waitFor();
      assert.equal(await page.getByTestId('on-call-next').locator('li').count(), 3);
      await page.getByTestId('keyword-add').click();
      await page.getByTestId('keyword-2').fill('urgent');
      await page.getByTestId('crisis-pass-on_call').check();
      await page.getByTestId('crisis-repeat-count').fill('4');
      await page.getByTestId('rotation-end-day').selectOption('tue');
      await page.getByTestId('rotation-end-time').fill('08:30');
      await page.getByTestId('on-call-now').check();
      await page.getByTestId('save').click();
      const sent = await waitForCalls(page, (c) => c.some((x) => x.cmd === 'save_settings'));
      const form = sent.find((c) => c.cmd === 'save_settings').args.form;
      assert.deepEqual(form.crisis.keywords, ['crise', 'bad buzz', 'urgent']);
      assert.equal(form.crisis.pass, 'on_call');
      assert.deepEqual(form.crisis.repeat, { count: 4, minutes: 10 });
      assert.equal(form.on_call.rotation.end, 'tue 08:30');
      assert.deepEqual(sent.filter((c) => c.cmd === 'set_on_call').map((c) => c.args), [{ on: true }]);
    }));
});

describe('held and diagnostics', () => {
  test('release one, dismiss one; the tab counts them', () =>
    withPage({ hash: '#held' }, async (page) => {
      assert.equal(await page.getByTestId('tab-held').textContent(), 'Held (2)');
      await page.getByTestId('held-7-release').click();
      await page.getByTestId('held-7').waitFor({ state: 'detached' });
      await page.getByText('1 released.').waitFor();
      await page.getByTestId('held-9-dismiss').click();
      await page.getByTestId('held-none').waitFor();
      const sent = await calls(page);
      assert.deepEqual(sent.find((c) => c.cmd === 'release').args, { ids: [7], all: false });
      assert.deepEqual(sent.find((c) => c.cmd === 'dismiss').args, { id: 9 });
      assert.equal(await page.getByTestId('tab-held').textContent(), 'Held');
    }));

  test('release all', () =>
    withPage({ hash: '#held' }, async (page) => {
      await page.getByTestId('held-release-all').click();
      await page.getByTestId('held-none').waitFor();
      assert.deepEqual((await calls(page)).find((c) => c.cmd === 'release').args, { ids: [], all: true });
    }));

  test('diagnostics show the route, the display, the file and the autostart switch', () =>
    withPage({ hash: '#diagnostics' }, async (page) => {
      assert.equal(await page.getByTestId('diag-route').textContent(), 'proxy');
      assert.match(await page.getByTestId('diag-display').textContent(), /dunst/);
      assert.equal((await page.getByTestId('diag-path').textContent()).trim(), '/home/gwen/.config/couper/settings.toml');
      assert.equal(await page.getByTestId('autostart').isChecked(), true);
      await page.getByTestId('autostart').uncheck();
      await waitForCalls(page, (c) => c.some((x) => x.cmd === 'set_autostart' && x.args.on === false));
      assert.equal(await page.getByTestId('autostart').isChecked(), false);
    }));
});

describe('when Couper stands aside', () => {
  test('diagnostics say why, and the button puts Couper in front of the daemon the user started', () =>
    withPage({ hash: '#diagnostics' }, async (page) => {
      assert.equal(await page.getByTestId('not-gating').count(), 0, 'nothing while Couper gates');
      await page.evaluate(() =>
        window.__couperMock.standAside('org.freedesktop.Notifications is owned by dunst (pid 812), which you started', 'dunst'),
      );
      const banner = page.getByTestId('not-gating');
      await banner.waitFor();
      assert.match(await banner.textContent(), /does not hold your notifications now: .*owned by dunst \(pid 812\)/);
      await page.getByTestId('not-gating-replace').click();
      await waitForCalls(page, (c) => c.some((x) => x.cmd === 'retry' && x.args.replace === true));
      await banner.waitFor({ state: 'detached' });
      assert.equal(await page.getByTestId('diag-route').textContent(), 'proxy');
    }));

  test('with no daemon that can start, the button tries again, in French too', () =>
    withPage({ lang: 'fr', locale: 'fr-FR', hash: '#diagnostics' }, async (page) => {
      await page.evaluate(() => window.__couperMock.standAside('aucun démon ne démarre', null));
      await page.getByTestId('not-gating').waitFor();
      assert.equal((await page.getByTestId('not-gating-retry').textContent()).trim(), 'Réessayer');
      await page.getByTestId('not-gating-retry').click();
      await waitForCalls(page, (c) => c.some((x) => x.cmd === 'retry' && x.args.replace === false));
    }));
});

describe('when the store cannot keep notifications', () => {
  test('diagnostics say since when, why and how many were shown at once, in French too', () =>
    withPage({ lang: 'fr', locale: 'fr-FR', hash: '#diagnostics' }, async (page) => {
      assert.equal(await page.getByTestId('store-failure').count(), 0, 'nothing while the store keeps them');
      await page.evaluate(() => window.__couperMock.storeFails('couper.sqlite3: database is locked', 3));
      const banner = page.getByTestId('store-failure');
      await banner.waitFor();
      assert.match(
        await banner.textContent(),
        /ne peut plus garder les notifications depuis .*27.*21:04 \(couper\.sqlite3: database is locked\) : 3 ont été montrées tout de suite/,
      );
    }));
});

describe('autostart at the first start', () => {
  test('the window says Couper now starts with the session, once, and can turn it off there', () =>
    withPage({ autostartNoticeSeen: false }, async (page) => {
      const notice = page.getByTestId('autostart-notice');
      await notice.waitFor();
      assert.match(await notice.textContent(), /Couper now starts when you log in/);
      await page.getByTestId('autostart-keep').click();
      await notice.waitFor({ state: 'detached' });
      await page.reload();
      await page.getByTestId('save-state').waitFor();
      await page.getByTestId('tab-diagnostics').click();
      assert.equal(await page.getByTestId('autostart').isChecked(), true);
      assert.equal(await notice.count(), 0, 'not shown again once seen');
    }));

  test('“Don’t start with my session” switches autostart off', () =>
    withPage({ autostartNoticeSeen: false, hash: '#diagnostics' }, async (page) => {
      await page.getByTestId('autostart-off').click();
      await waitForCalls(page, (c) => c.some((x) => x.cmd === 'set_autostart' && x.args.on === false));
      await page.getByTestId('autostart-notice').waitFor({ state: 'detached' });
      assert.equal(await page.getByTestId('autostart').isChecked(), false);
    }));
});

describe('changes from outside the window', () => {
  test('a hand edit of the file refreshes an untouched form', () =>
    withPage({}, async (page) => {
      await page.evaluate(() => window.__couperMock.handEdit((f) => (f.hours.mon = ['08:00-16:00'])));
      await page.waitForFunction(
        () => document.querySelector('[data-testid="hours-mon-0-start"]')?.value === '08:00',
      );
      assert.equal(await page.getByTestId('hours-mon-1-start').count(), 0);
      assert.equal(await page.getByTestId('external-change').count(), 0);
    }));

  test('with unsaved edits, a hand edit shows a notice instead of clobbering them', () =>
    withPage({}, async (page) => {
      await page.getByTestId('hours-tue-0-end').fill('17:00');
      await page.evaluate(() => window.__couperMock.handEdit((f) => (f.hours.mon = ['08:00-16:00'])));
      await page.getByTestId('external-change').waitFor();
      assert.equal(await page.getByTestId('hours-tue-0-end').inputValue(), '17:00', 'the edit is kept');
      assert.equal(await page.getByTestId('hours-mon-0-start').inputValue(), '09:00');
      await page.getByTestId('external-take').click();
      assert.equal(await page.getByTestId('hours-mon-0-start').inputValue(), '08:00');
      assert.equal(await page.getByTestId('hours-tue-0-end').inputValue(), '18:00');
    }));

  test('a refused hand edit is said, with the engine’s reason', () =>
    withPage({}, async (page) => {
      const reason = 'settings.toml:9: hours.mon: "9h-18h" is not HH:MM-HH:MM';
      await page.evaluate((r) => window.__couperMock.handEdit(() => {}, r), reason);
      await page.getByTestId('refused-banner').waitFor();
      assert.match(await page.getByTestId('refused-banner').textContent(), /9h-18h/);
    }));

  test('status-changed updates the status line and the held count', () =>
    withPage({}, async (page) => {
      await page.getByText('Off until Mon 09:00 · 2 held').waitFor();
      await page.evaluate(() =>
        window.__couperMock.workingOnCall('2026-11-28T23:00:00+01:00'),
      );
      await page.getByText('Working until Sat 23:00 · On call').waitFor();
    }));

  test('the tray can open a tab (show-tab event, or the URL hash)', () =>
    withPage({}, async (page) => {
      await page.evaluate(() => window.__couperMock.showTab('held'));
      await page.getByTestId('panel-held').waitFor();
      await page.evaluate(() => (location.hash = '#diagnostics'));
      await page.getByTestId('panel-diagnostics').waitFor();
    }));
});

describe('language and accessibility', () => {
  test('French from the locale command', () =>
    withPage({ lang: 'fr' }, async (page) => {
      assert.equal(await page.getByTestId('tab-hours').textContent(), 'Horaires');
      await previewSays(page, 'Ensuite : fin à 18:00, retour mar. 09:00');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
    }));

  test('without the locale command, the browser’s language', () =>
    withPage({ lang: null, locale: 'fr-FR' }, async (page) => {
      await page.getByText('Enregistrer', { exact: true }).waitFor();
      assert.equal(await page.getByTestId('tab-crisis').textContent(), 'Crise et astreinte');
    }));

  test('tabs are a keyboard tablist: arrows move, focus is visible', () =>
    withPage({}, async (page) => {
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
      assert.equal(first, 'tab-hours', 'the selected tab comes first in the tab order');
      await page.keyboard.press('ArrowRight');
      await page.getByTestId('panel-apps').waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'tab-apps');
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, 'none', 'focus is visible');
      await page.keyboard.press('End');
      await page.getByTestId('panel-diagnostics').waitFor();
    }));

  test('every control of every tab has a label, in both languages', async () => {
    for (const lang of ['en', 'fr']) {
      await withPage({ lang }, async (page) => {
        for (const tab of ['hours', 'apps', 'crisis', 'held', 'report', 'diagnostics']) {
          await page.getByTestId(`tab-${tab}`).click();
          await page.getByTestId(`panel-${tab}`).waitFor();
          const unlabelled = await page.evaluate(() =>
            [...document.querySelectorAll('input, select, button, [tabindex="0"]')]
              .filter((el) => {
                if (el.closest('[aria-hidden="true"]')) return false;
                const labels = el.labels ? [...el.labels].map((l) => l.textContent.trim()).join('') : '';
                const byId = (el.getAttribute('aria-labelledby') ?? '')
                  .split(/\s+/)
                  .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
                  .join('');
                const own = el.tagName === 'BUTTON' ? el.textContent.trim() : '';
                return !(labels || byId || own || el.getAttribute('aria-label')?.trim());
              })
              .map((el) => el.outerHTML.slice(0, 120)),
          );
          assert.deepEqual(unlabelled, [], `${lang} ${tab}`);
        }
      });
    }
  });
});

describe('report', () => {
  const focusedCell = (page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
  const cellLabel = (page, id) => page.getByTestId(id).getAttribute('aria-label');

  async function openReport(page) {
    await page.getByTestId('tab-report').click();
    await page.getByTestId('heatmap').waitFor();
    await page.getByTestId('statement').waitFor();
  }

  test('the heatmap draws 168 cells labelled with the engine’s counts, and a legend', () =>
    withPage({}, async (page) => {
      await openReport(page);
      const sent = await calls(page);
      assert.ok(sent.some((c) => c.cmd === 'report' && c.args.period === 'week'), 'asks for the week');
      assert.ok(sent.some((c) => c.cmd === 'report' && c.args.period === 'month'), 'asks for the month');
      assert.equal(await page.locator('[data-testid="heatmap"] [role="gridcell"]').count(), 168);
      assert.equal(await page.locator('[data-testid="heatmap"] [role="row"]').count(), 7);
      assert.equal(await cellLabel(page, 'cell-tue-21'), 'Tuesday 21:00: 3 held, 1 crisis');
      assert.equal(await cellLabel(page, 'cell-mon-10'), 'Monday 10:00: 8 delivered');
      assert.equal(await cellLabel(page, 'cell-sun-10'), 'Sunday 10:00: 1 crisis');
      assert.equal(await cellLabel(page, 'cell-sat-21'), 'Saturday 21:00: 2 held, 1 crisis');
      assert.equal(await cellLabel(page, 'cell-wed-3'), 'Wednesday 03:00: no work notifications');
      const tones = await page.evaluate(() =>
        Object.fromEntries(
          ['cell-tue-21', 'cell-mon-10', 'cell-fri-19', 'cell-wed-3'].map((id) => [
            id,
            document.querySelector(`[data-testid="${id}"]`).getAttribute('class'),
          ]),
        ),
      );
      assert.match(tones['cell-tue-21'], /\btone-crisis\b/);
      assert.match(tones['cell-mon-10'], /\btone-delivered\b/);
      assert.match(tones['cell-fri-19'], /\btone-held\b/);
      assert.match(tones['cell-wed-3'], /\btone-none\b/);
      const legend = await page.getByTestId('heatmap-legend').textContent();
      for (const word of ['Delivered in working time', 'Held or silenced', 'Crisis let through']) assert.ok(legend.includes(word), word);
    }));

  test('the week’s figures and the month’s statement show the known figures', () =>
    withPage({}, async (page) => {
      await openReport(page);
      const rows = (testid) =>
        page.getByTestId(testid).evaluate((table) =>
          [...table.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim())),
        );
      assert.deepEqual(await rows('report-apps'), [
        ['App', 'Held', 'Silenced', 'Delivered', 'Crises'],
        ['Slack', '11', '0', '46', '2'],
        ['Gmail (work account)', '6', '0', '24', '1'],
        ['Total', '17', '0', '70', '3'],
      ]);
      const interruptions = await page.getByTestId('report-interruptions').locator('li').allTextContents();
      assert.equal(interruptions.length, 3);
      assert.match(interruptions[0], /Tue 24 Nov 21:10 · Slack/);
      assert.doesNotMatch(interruptions[0], /on call/);
      assert.match(interruptions[1], /Sat 28 Nov 21:35 · Slack\s+on call/);
      const statement = await rows('statement');
      assert.deepEqual(statement[0], ['Start', 'End', 'Hours', 'Night (21:00–06:00)', 'Sunday', 'Public holiday', 'From']);
      assert.deepEqual(statement[1], ['Wed 11 Nov 20:00', 'Thu 12 Nov 02:30', '6.5', '5.5', '0', '4', 'by hand']);
      assert.deepEqual(statement[2], ['Fri 27 Nov 18:00', 'Mon 30 Nov 09:00', '63', '27', '24', '0', 'schedule']);
      assert.deepEqual(statement[3], ['Total', '69.5', '32.5', '24', '4', '']);
      assert.match(await page.locator('#statement-heading').textContent(), /On-call statement, November 2026/);
      const interventions = await page.getByTestId('interventions').locator('li').allTextContents();
      assert.equal(interventions.length, 3);
      assert.match(interventions[0], /Wed 11 Nov 22:40 · Slack/);
    }));

  test('in French: labels, words and decimal commas', () =>
    withPage({ lang: 'fr' }, async (page) => {
      await openReport(page);
      assert.equal(await page.getByTestId('tab-report').textContent(), 'Bilan');
      assert.equal(await cellLabel(page, 'cell-tue-21'), 'Mardi 21:00 : 3 en attente, 1 crise');
      const total = await page.getByTestId('statement-total').locator('td').allTextContents();
      assert.deepEqual(total.slice(0, 4), ['69,5', '32,5', '24', '4']);
      assert.match(await page.locator('#statement-heading').textContent(), /Relevé d’astreinte, novembre 2026/);
    }));

  test('Export CSV asks for report_csv and downloads its text as a file', () =>
    withPage({}, async (page) => {
      await openReport(page);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
      assert.equal(download.suggestedFilename(), 'couper-on-call-2026-11.csv');
      const { readFile } = await import('node:fs/promises');
      const text = await readFile(await download.path(), 'utf8');
      const want = await page.evaluate(() => window.__couperMock.report.csv.en);
      assert.equal(text, want);
      assert.ok(text.includes('period,2026-11-27 18:00,2026-11-30 09:00,63,27,24,0'));
      const sent = (await calls(page)).filter((c) => c.cmd === 'report_csv');
      assert.deepEqual(sent.map((c) => c.args), [{ month: '2026-11', lang: 'en' }]);
      await page.getByText('Saved couper-on-call-2026-11.csv.').waitFor();
    }));

  test('the heatmap is one tab stop, and arrow keys move between hours and days', () =>
    withPage({}, async (page) => {
      await openReport(page);
      const stops = await page.locator('[data-testid="heatmap"] [tabindex="0"]').count();
      assert.equal(stops, 1, 'one cell in the tab order');
      await page.getByTestId('tab-report').focus();
      await page.keyboard.press('Tab');
      assert.equal(await focusedCell(page), 'cell-mon-9', 'the first busy hour takes the focus');
      await page.keyboard.press('ArrowDown');
      assert.equal(await focusedCell(page), 'cell-tue-9');
      for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
      assert.equal(await focusedCell(page), 'cell-tue-21');
      const label = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
      assert.equal(label, 'Tuesday 21:00: 3 held, 1 crisis');
      await page.keyboard.press('End');
      assert.equal(await focusedCell(page), 'cell-tue-23');
      await page.keyboard.press('ArrowRight');
      assert.equal(await focusedCell(page), 'cell-tue-23', 'stops at the edge');
      await page.keyboard.press('PageDown');
      assert.equal(await focusedCell(page), 'cell-sun-23');
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowUp');
      assert.equal(await focusedCell(page), 'cell-sat-0');
      const stroke = await page.evaluate(() => getComputedStyle(document.activeElement).strokeWidth);
      assert.equal(stroke, '3px', 'the focused cell is outlined');
      await page.keyboard.press('Tab');
      assert.doesNotMatch(String(await focusedCell(page)), /^cell-/, 'Tab leaves the grid');
      assert.equal(await page.locator('[data-testid="heatmap"] [tabindex="0"]').getAttribute('data-testid'), 'cell-sat-0');
    }));
  test('erasing the history asks first, says what stays, then erases and reloads the report', () =>
    withPage({}, async (page) => {
      await openReport(page);
      await page.getByTestId('forget-start').click();
      const confirm = page.getByTestId('forget-confirm');
      assert.match(await confirm.textContent(), /Erase the whole history\? This cannot be undone; held notifications stay\./);
      await page.getByTestId('forget-no').click();
      await confirm.waitFor({ state: 'detached' });
      assert.equal((await calls(page)).filter((c) => c.cmd === 'forget').length, 0, 'nothing erased on Cancel');

      await page.getByTestId('forget-start').click();
      await page.getByTestId('forget-yes').click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="forget-note"]')?.textContent === 'History erased (117 decisions).',
      );
      const sent = await calls(page);
      assert.deepEqual(sent.find((c) => c.cmd === 'forget').args, {});
      assert.equal(sent.filter((c) => c.cmd === 'report' && c.args.period === 'week').length, 2, 'the week is read again');
      await page.waitForFunction(
        () => document.querySelector('[data-testid="cell-tue-21"]')?.getAttribute('aria-label') === 'Tuesday 21:00: no work notifications',
      );
    }));

  test('erasing before a day sends that day, in the user’s words in French', () =>
    withPage({ lang: 'fr' }, async (page) => {
      await openReport(page);
      assert.equal(await page.getByTestId('forget-start').isDisabled(), false);
      await page.getByTestId('forget-before').check();
      assert.equal(await page.getByTestId('forget-start').isDisabled(), true, 'a day must be given');
      await page.getByTestId('forget-date').fill('2026-11-01');
      await page.getByTestId('forget-start').click();
      assert.match(
        await page.getByTestId('forget-confirm').textContent(),
        /Effacer l’historique d’avant le 1 novembre 2026 \?/,
      );
      await page.getByTestId('forget-yes').click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="forget-note"]')?.textContent === 'Historique effacé (42 décisions).',
      );
      assert.deepEqual((await calls(page)).find((c) => c.cmd === 'forget').args, { before: '2026-11-01' });
    }));
});
