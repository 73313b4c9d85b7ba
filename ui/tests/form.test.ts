import { describe, expect, test } from 'vitest';
import {
  editable,
  errorId,
  errorsFor,
  fieldId,
  isWorkSite,
  joinRange,
  joinWeekTime,
  rangeOfError,
  sameForm,
  splitRange,
  splitWeekTime,
  tabOf,
  wire,
  withWorkSite,
} from '../src/lib/form';

// What `form_of` gives for a short file: empty days and lists left out.
const fromEngine = {
  timezone: 'Europe/Paris',
  hours: { mon: ['09:00-18:00'] },
  crisis: { pass: 'always', critical_urgency: true, keywords: [], senders: [] },
  release: { mode: 'digest' },
  auto_reply: { fr: 'Merci !' },
};

describe('the editable form', () => {
  test('every list the window edits is present, and what it does not edit is kept', () => {
    const form = editable(fromEngine);
    expect(form.hours.sat).toEqual([]);
    expect(form.hours.mon).toEqual(['09:00-18:00']);
    expect(form.time_off).toEqual([]);
    expect(form.work_apps).toEqual([]);
    expect(form.extra_holidays).toEqual([]);
    expect(form.on_call.shifts).toEqual([]);
    expect(form.auto_reply).toEqual({ fr: 'Merci !' });
  });

  test('it is a copy: editing it leaves the engine’s form alone', () => {
    const form = editable(fromEngine);
    form.hours.mon.push('20:00-21:00');
    expect(fromEngine.hours.mon).toEqual(['09:00-18:00']);
  });

  test('an untouched form is the same as the engine’s; an edit makes it differ', () => {
    const form = editable(fromEngine);
    expect(sameForm(form, fromEngine)).toBe(true);
    form.hours.tue.push('09:00-18:00');
    expect(sameForm(form, fromEngine)).toBe(false);
  });

  test('key order does not matter when comparing', () => {
    expect(sameForm({ timezone: 'UTC', release: { mode: 'digest' } }, { release: { mode: 'digest' }, timezone: 'UTC' })).toBe(
      true,
    );
  });

  test('empty optional texts are left out on the wire; required ones are sent for the engine to judge', () => {
    const form = editable(fromEngine);
    form.work_apps.push({ name: 'Slack', app: 'slack', account: '', off_hours: 'hold' });
    form.work_apps.push({ name: '', app: '', account: 'me@x.fr', off_hours: 'drop' });
    form.time_off.push({ start: '2026-12-24', end: '2027-01-01', label: '' });
    form.holidays = null;
    form.crisis.repeat = null;
    form.on_call.rotation = null;
    const sent = wire(form);
    expect(sent.work_apps).toEqual([
      { name: 'Slack', app: 'slack', off_hours: 'hold' },
      { name: '', app: '', account: 'me@x.fr', off_hours: 'drop' },
    ]);
    expect(sent.time_off).toEqual([{ start: '2026-12-24', end: '2027-01-01' }]);
    expect('holidays' in sent).toBe(false);
    expect('repeat' in sent.crisis).toBe(false);
    expect('rotation' in sent.on_call).toBe(false);
    expect(form.work_apps[0]?.account).toBe('');
  });
});

describe('work sites', () => {
  const browsers = () =>
    editable({
      ...fromEngine,
      work_apps: [
        { name: 'Chromium', app: 'chromium', off_hours: 'hold' },
        { name: 'LinkedIn', app: 'Chromium', sites: ['linkedin.com'], off_hours: 'hold' },
        { name: 'Meta', app: 'chromium', sites: ['business.facebook.com'], off_hours: 'drop' },
      ],
    });

  test('a source’s sites are editable, and none is sent as no list', () => {
    const form = browsers();
    expect(form.work_apps.map((a) => a.sites)).toEqual([[], ['linkedin.com'], ['business.facebook.com']]);
    expect('sites' in wire(form).work_apps[0]!).toBe(false);
    expect(sameForm(form, { ...fromEngine, work_apps: browsers().work_apps })).toBe(true);
  });

  test('a site goes to the first of the browser’s sources that names sites, in any case', () => {
    const form = withWorkSite(browsers(), 'Chromium', 'mail.example.org', 'Chromium (work sites)');
    expect(form.work_apps.map((a) => a.sites)).toEqual([
      [],
      ['linkedin.com', 'mail.example.org'],
      ['business.facebook.com'],
    ]);
    expect(isWorkSite(form, 'Chromium', 'mail.example.org')).toBe(true);
    expect(browsers().work_apps[1]!.sites).toEqual(['linkedin.com']);
  });

  test('a browser with no source naming sites gets one for that site', () => {
    const form = withWorkSite(editable(fromEngine), 'Firefox', 'mail.example.org', 'Firefox (work sites)');
    expect(wire(form).work_apps).toEqual([
      { name: 'Firefox (work sites)', app: 'Firefox', sites: ['mail.example.org'], off_hours: 'hold' },
    ]);
  });

  test('a site already covered, itself or by its parent, is not added twice', () => {
    const form = browsers();
    expect(isWorkSite(form, 'chromium', 'www.linkedin.com')).toBe(true);
    expect(isWorkSite(form, 'chromium', 'notlinkedin.com')).toBe(false);
    expect(isWorkSite(form, 'firefox', 'linkedin.com')).toBe(false);
    expect(withWorkSite(form, 'chromium', 'www.linkedin.com', 'x')).toEqual(form);
  });
});

describe('errors next to their fields', () => {
  const errors = [
    { key: 'hours.mon', message: '"18:00-18:00" starts and ends at the same time' },
    { key: 'work_apps[2].app', message: 'empty app' },
    { key: '', message: 'the form is not a settings table' },
  ];

  test('errors are picked by exact key', () => {
    expect(errorsFor(errors, 'hours.mon')).toHaveLength(1);
    expect(errorsFor(errors, 'hours')).toHaveLength(0);
  });

  test('keys become DOM ids', () => {
    expect(fieldId('work_apps[2].app')).toBe('field-work_apps-2-app');
    expect(errorId('work_apps[2].app')).toBe('error-work_apps-2-app');
    expect(errorId('hours.mon')).toBe('error-hours-mon');
    expect(fieldId('on_call.shifts[1].end')).toBe('field-on_call-shifts-1-end');
  });

  test('each key belongs to a tab', () => {
    expect(tabOf('hours.mon')).toBe('hours');
    expect(tabOf('time_off[1].end')).toBe('hours');
    expect(tabOf('timezone')).toBe('hours');
    expect(tabOf('work_apps[2].app')).toBe('apps');
    expect(tabOf('crisis.repeat.count')).toBe('crisis');
    expect(tabOf('on_call.rotation.start')).toBe('crisis');
    expect(tabOf('release.mode')).toBe('held');
    expect(tabOf('')).toBeNull();
    expect(tabOf('display.command')).toBeNull();
  });

  test('an hours error goes to the range it quotes, or to the day', () => {
    const ranges = ['09:00-12:00', '18:00-18:00'];
    expect(rangeOfError('"18:00-18:00" starts and ends at the same time', ranges)).toBe(1);
    expect(rangeOfError('"9h-18h" is not HH:MM-HH:MM', ranges)).toBe(-1);
  });
});

describe('texts split for inputs', () => {
  test('a range is two times, joined back as written', () => {
    expect(splitRange('09:00-18:00')).toEqual(['09:00', '18:00']);
    expect(splitRange('9h')).toEqual(['9h', '']);
    expect(joinRange(' 09:00', '18:00 ')).toBe('09:00-18:00');
  });

  test('a week time is a day and a time', () => {
    expect(splitWeekTime('fri 18:00')).toEqual({ day: 'fri', time: '18:00' });
    expect(splitWeekTime('Mon  09:00')).toEqual({ day: 'mon', time: '09:00' });
    expect(joinWeekTime('tue', ' 08:30')).toBe('tue 08:30');
  });
});
