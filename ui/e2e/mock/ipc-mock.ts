// The tray app's side of docs/ipc.md, faked for the end-to-end tests: installed into the
// page before the window's own script (Playwright init script), with the canned settings
// of a community manager. It records every command it is sent (window.__couperMock.calls)
// and can emit the Rust events. `preview` answers a different text for different Monday
// hours; `validate_settings` refuses a range with equal ends with the engine's words.
//
// Every fixture and every answer is typed with what the window itself expects: the Rust
// types as ts-rs generates them (src/lib/generated/, through src/lib/ipc.ts) and the
// window's form. So when a Rust type changes and the mock does not follow, svelte-check
// (`npm run build`) fails here, rather than the e2e passing on shapes the tray app no
// longer sends.

import { mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import type { InvokeArgs } from '@tauri-apps/api/core';
import type {
  CommandError,
  Events,
  FieldError,
  Form,
  Held,
  HourCell,
  Interruption,
  Lang,
  Notification,
  OnCallPeriod,
  Preview,
  ProfileInfo,
  Report,
  SeenApp,
  SettingsFile,
  Statement,
  Status,
} from '../../src/lib/ipc';

interface Config {
  /** What the `locale` command answers; `null`: the command fails (no Tauri locale). */
  lang?: Lang | null;
  /** What `get_autostart` answers first (default: on, as after the first start). */
  autostart?: boolean;
}

/** The page as the tests see it: they set the config before the window loads, and drive the mock. */
type MockWindow = Window & { __COUPER_MOCK_CONFIG__?: Config; __couperMock?: unknown };
const page = window as MockWindow;

const config: Config = page.__COUPER_MOCK_CONFIG__ ?? {};

/** A command fails as Rust's `CommandError` says it, so a renamed kind fails the check. */
function fail(error: CommandError): never {
  throw error;
}

/** Emits a Rust event with the payload the window's `on` expects of it. */
const send = <E extends keyof Events>(event: E, payload: Events[E]) => emit(event, payload);

// The settings, in the window's layout of them (`Form`). The engine's form may leave an
// empty day out; the window fills it in (`editable`, src/lib/form.ts), so the free
// Saturday is written here as the window sees it.
const form: Form = {
  timezone: 'Europe/Paris',
  holidays: 'FR',
  extra_holidays: ['2026-05-29'],
  hours: {
    mon: ['09:00-12:30', '13:30-18:00'],
    tue: ['09:00-18:00'],
    wed: ['09:00-18:00'],
    thu: ['09:00-18:00'],
    fri: ['09:00-17:00'],
    sat: [],
    sun: ['21:00-01:00'],
  },
  time_off: [{ start: '2026-12-24', end: '2027-01-01', label: 'Noël' }],
  work_apps: [
    { name: 'Slack', app: 'slack', off_hours: 'hold' },
    { name: 'Gmail (work account)', app: 'firefox', account: 'gwen@ouest.digital', off_hours: 'hold' },
  ],
  crisis: {
    pass: 'always',
    critical_urgency: true,
    keywords: ['crise', 'bad buzz'],
    senders: ['Alexandre Cherré'],
    repeat: { count: 3, minutes: 10 },
  },
  on_call: {
    shifts: [{ start: '2026-11-27T18:00', end: '2026-11-30T09:00' }],
    rotation: { first: '2026-11-27', every_weeks: 3, start: 'fri 18:00', end: 'mon 09:00' },
  },
  auto_reply: { en: 'Thanks for your message! We will answer {next}.' },
  release: { mode: 'digest' },
};

const path = '/home/gwen/.config/couper/settings.toml';

const status: Status = {
  mode: { mode: 'auto' },
  working: false,
  until: '2026-11-30T09:00:00+01:00',
  on_call: false,
  on_call_manual: false,
  held: 2,
  next_start: '2026-11-30T09:00:00+01:00',
  timezone: 'Europe/Paris',
  route: 'proxy',
  route_reason:
    'no desktop shell owns org.freedesktop.Notifications: Couper owns it and draws through dunst on a private bus',
  display: 'dunst',
  not_gating: null,
  display_bus: 'unix:path=/run/user/1000/couper/display-bus',
  settings_path: path,
  settings_refused: null,
  calendar: null,
  calendar_stale_since: null,
  store_failure: null,
};

/** A notification as a plain `notify-send` sends it: no icon, actions nor hints. */
const notification = (app: string, summary: string, body: string): Notification => ({
  app,
  summary,
  body,
  icon: '',
  actions: [],
  hints: {},
  urgency: 'normal',
  expire_timeout: -1,
});

let held: Held[] = [
  {
    id: 7,
    held_at: '2026-11-28T21:04:00+01:00',
    source: 'Slack',
    notification: notification('Slack', 'Bryan', 'On publie ?'),
    crisis: false,
    until: '2026-11-30T09:00:00+01:00',
    reason: 'held: Slack is a work app and Saturday 21:04 is outside your hours; delivered Monday 09:00',
    released_at: null,
  },
  {
    id: 9,
    held_at: '2026-11-28T22:30:00+01:00',
    source: 'Gmail (work account)',
    notification: notification('Firefox', 'Maëlle — planning de décembre', 'Tu peux relire avant lundi ?'),
    crisis: false,
    until: '2026-11-30T09:00:00+01:00',
    reason:
      'held: Gmail (work account) is a work source and Saturday 22:30 is outside your hours; delivered Monday 09:00',
    released_at: null,
  },
];

/** Firefox is installed, Chromium too; no work profile yet. */
const profiles: ProfileInfo[] = [
  { browser: 'firefox', label: 'Firefox', installed: true, made: false, source: false, profile: '/home/gwen/.config/mozilla/firefox/couper-work' },
  { browser: 'chromium', label: 'Chromium', installed: true, made: false, source: false, profile: '/home/gwen/.local/share/couper/chromium-work' },
];

// Rust always sends `sites`, empty for an app that is no browser.
const seen: SeenApp[] = [
  { app: 'Signal', count: 14, last_seen: '2026-11-28T22:41:00+01:00', sites: [] },
  { app: 'Slack', count: 52, last_seen: '2026-11-28T21:04:00+01:00', sites: [] },
  {
    app: 'Chromium',
    count: 9,
    last_seen: '2026-11-28T20:30:00+01:00',
    sites: [
      { site: 'www.linkedin.com', count: 6, last_seen: '2026-11-28T20:30:00+01:00' },
      { site: 'mail.example.org', count: 3, last_seen: '2026-11-28T19:02:00+01:00' },
    ],
  },
  { app: 'Thunderbird', count: 6, last_seen: '2026-11-27T17:12:00+01:00', sites: [] },
];

// ---- Reports: the week of Monday 23 November 2026 and the on-call statement of
// November, as `couper report --json` would give them for this user. A weekend rotation
// (Friday 27 18:00 to Monday 30 09:00), a hand toggle on the evening of 11 November (a
// public holiday), and three crises in the week: one off call (Tuesday 21:10) and two
// during the rotation (interventions, with the one of 11 November).

const cell = (date: string, hour: number, held: number, delivered: number, crises = 0): HourCell => ({
  date,
  hour,
  held,
  delivered,
  crises,
});

const rotation: Pick<OnCallPeriod, 'period_start' | 'period_end' | 'origins'> = {
  period_start: '2026-11-27T18:00:00+01:00',
  period_end: '2026-11-30T09:00:00+01:00',
  origins: ['schedule'],
};

/** The two crises of the rotation: interruptions of the week, interventions of the month. */
const siteDown: Interruption = {
  at: '2026-11-28T21:35:00+01:00',
  app: 'Slack',
  on_call: true,
  why: 'Slack sent "Site down"; it comes from Alexandre Cherré, and crises always pass',
};
const repeated: Interruption = {
  at: '2026-11-29T10:15:00+01:00',
  app: 'Gmail (work account)',
  on_call: true,
  why: 'Gmail (work account) sent the same message 3 times in 10 minutes, and crises always pass',
};

const weekReport: Report = {
  timezone: 'Europe/Paris',
  days: {
    first: '2026-11-23',
    last: '2026-11-29',
    from: '2026-11-23T00:00:00+01:00',
    to: '2026-11-30T00:00:00+01:00',
  },
  apps: [
    { app: 'Slack', held: 11, silenced: 0, delivered: 46, crises: 2 },
    { app: 'Gmail (work account)', held: 6, silenced: 0, delivered: 24, crises: 1 },
  ],
  total: { held: 17, silenced: 0, delivered: 70, crises: 3 },
  interruptions: [
    {
      at: '2026-11-24T21:10:00+01:00',
      app: 'Slack',
      on_call: false,
      why: 'Slack sent "bad buzz on the client account"; it contains the keyword "bad buzz", and crises always pass',
    },
    siteDown,
    repeated,
  ],
  worked_outside: [
    { start: '2026-11-26T18:00:00+01:00', end: '2026-11-26T19:30:00+01:00', hours: 1.5, outside_hours: 1.5 },
  ],
  on_call: [
    {
      start: '2026-11-27T18:00:00+01:00',
      end: '2026-11-30T00:00:00+01:00',
      ...rotation,
      hours: 54,
      night_hours: 21,
      sunday_hours: 24,
      holiday_hours: 0,
    },
  ],
  on_call_hours: { hours: 54, night_hours: 21, sunday_hours: 24, holiday_hours: 0 },
  by_hour: [
    cell('2026-11-23', 9, 0, 5),
    cell('2026-11-23', 10, 0, 8),
    cell('2026-11-23', 11, 0, 4),
    cell('2026-11-23', 14, 0, 6),
    cell('2026-11-23', 15, 0, 3),
    cell('2026-11-23', 17, 0, 2),
    cell('2026-11-23', 19, 2, 0),
    cell('2026-11-24', 9, 0, 6),
    cell('2026-11-24', 10, 0, 3),
    cell('2026-11-24', 16, 0, 5),
    cell('2026-11-24', 21, 3, 0, 1),
    cell('2026-11-25', 9, 0, 4),
    cell('2026-11-25', 11, 0, 7),
    cell('2026-11-25', 15, 0, 2),
    cell('2026-11-25', 22, 1, 0),
    cell('2026-11-26', 10, 0, 5),
    cell('2026-11-26', 14, 0, 4),
    cell('2026-11-26', 18, 2, 0),
    cell('2026-11-27', 9, 0, 3),
    cell('2026-11-27', 11, 0, 2),
    cell('2026-11-27', 16, 0, 1),
    cell('2026-11-27', 19, 4, 0),
    cell('2026-11-28', 10, 1, 0),
    cell('2026-11-28', 21, 2, 0, 1),
    cell('2026-11-28', 22, 1, 0),
    cell('2026-11-29', 10, 0, 0, 1),
    cell('2026-11-29', 20, 1, 0),
  ],
};

const statement: Statement = {
  timezone: 'Europe/Paris',
  month: '2026-11',
  days: {
    first: '2026-11-01',
    last: '2026-11-30',
    from: '2026-11-01T00:00:00+01:00',
    to: '2026-12-01T00:00:00+01:00',
  },
  periods: [
    {
      start: '2026-11-11T20:00:00+01:00',
      end: '2026-11-12T02:30:00+01:00',
      period_start: '2026-11-11T20:00:00+01:00',
      period_end: '2026-11-12T02:30:00+01:00',
      origins: ['manual'],
      hours: 6.5,
      night_hours: 5.5,
      sunday_hours: 0,
      holiday_hours: 4,
    },
    {
      start: '2026-11-27T18:00:00+01:00',
      end: '2026-11-30T09:00:00+01:00',
      ...rotation,
      hours: 63,
      night_hours: 27,
      sunday_hours: 24,
      holiday_hours: 0,
    },
  ],
  total: { hours: 69.5, night_hours: 32.5, sunday_hours: 24, holiday_hours: 4 },
  interventions: [
    {
      at: '2026-11-11T22:40:00+01:00',
      app: 'Slack',
      on_call: true,
      why: 'Slack sent "Serveur en panne"; it comes from Alexandre Cherré, and crises always pass',
    },
    siteDown,
    repeated,
  ],
};

/** `couper report --on-call --month 2026-11 --csv`, in each language. */
const statementCsv: Record<Lang, string> = {
  en:
    '\ufeffrow,start,end,hours,night hours,Sunday hours,holiday hours,origin,period start,period end,app,reason\r\n' +
    'period,2026-11-11 20:00,2026-11-12 02:30,6.5,5.5,0,4,manual,2026-11-11 20:00,2026-11-12 02:30,,\r\n' +
    'period,2026-11-27 18:00,2026-11-30 09:00,63,27,24,0,schedule,2026-11-27 18:00,2026-11-30 09:00,,\r\n' +
    'total,,,69.5,32.5,24,4,,,,,\r\n' +
    'intervention,2026-11-11 22:40,,,,,,,,,Slack,from Alexandre Cherré\r\n' +
    'intervention,2026-11-28 21:35,,,,,,,,,Slack,from Alexandre Cherré\r\n' +
    'intervention,2026-11-29 10:15,,,,,,,,,Gmail (work account),repeated 3 times in 10 minutes\r\n',
  fr:
    '\ufeffligne;début;fin;heures;heures de nuit;heures du dimanche;heures fériées;origine;début de la période;fin de la période;appli;motif\r\n' +
    'période;2026-11-11 20:00;2026-11-12 02:30;6,5;5,5;0;4;manuelle;2026-11-11 20:00;2026-11-12 02:30;;\r\n' +
    'période;2026-11-27 18:00;2026-11-30 09:00;63;27;24;0;planning;2026-11-27 18:00;2026-11-30 09:00;;\r\n' +
    'total;;;69,5;32,5;24;4;;;;;\r\n' +
    'intervention;2026-11-11 22:40;;;;;;;;;Slack;de Alexandre Cherré\r\n' +
    'intervention;2026-11-28 21:35;;;;;;;;;Slack;de Alexandre Cherré\r\n' +
    'intervention;2026-11-29 10:15;;;;;;;;;Gmail (work account);répété 3 fois en 10 minutes\r\n',
};

const replies: Record<Lang, string> = {
  en: 'Thanks for your message! We will answer Monday 30 November at 9:00.',
  fr: 'Merci pour votre message ! Nous vous répondrons lundi 30 novembre à 9 h.',
};

let autostart = config.autostart ?? true;
/** Set by `forget` with no date: the week's report is empty from then on. */
let forgotten = false;
const calls: { cmd: string; args: unknown }[] = [];

/**
 * The arguments of the commands, as the window's `ipc` (src/lib/ipc.ts) sends them. They
 * come in untyped; each command reads only its own, so each is typed as it is sent.
 */
type Args = {
  form: Form;
  browser: ProfileInfo['browser'];
  app: string;
  ids: number[];
  all: boolean;
  id: number;
  on: boolean;
  period: 'week' | 'month';
  month?: string;
  lang?: Lang;
  before?: string;
};

/** The window sends named arguments (or none), never raw bytes: the mock reads no other. */
function named(payload: InvokeArgs | undefined): Record<string, unknown> {
  if (payload === undefined) return {};
  if (Array.isArray(payload) || payload instanceof ArrayBuffer || payload instanceof Uint8Array)
    fail({ kind: 'io', message: 'the mock reads named arguments only' });
  return payload;
}

const SHAPE = /^\d{1,2}:\d{2}-\d{1,2}:\d{2}$/;

/** The refusals the engine would give for the hours (the part of it the tests use). */
function validate(f: Form): FieldError[] {
  const errors: FieldError[] = [];
  for (const [day, ranges] of Object.entries(f.hours)) {
    for (const range of ranges) {
      if (!SHAPE.test(range)) errors.push({ key: `hours.${day}`, message: `${JSON.stringify(range)} is not HH:MM-HH:MM` });
      else if (range.split('-')[0] === range.split('-')[1])
        errors.push({ key: `hours.${day}`, message: `${JSON.stringify(range)} starts and ends at the same time` });
    }
  }
  f.work_apps.forEach((app, i) => {
    if (!app.name.trim()) errors.push({ key: `work_apps[${i + 1}].name`, message: 'empty name' });
    if (!app.app.trim()) errors.push({ key: `work_apps[${i + 1}].app`, message: 'empty app' });
  });
  return errors;
}

const lang = () => config.lang ?? 'en';

function preview(f: Form): Preview {
  const errors = validate(f);
  if (errors.length) fail({ kind: 'invalid', fields: errors });
  const monday = f.hours.mon;
  const end = monday.length ? monday[monday.length - 1]!.split('-')[1] : null;
  const text =
    end === null
      ? lang() === 'fr' ? 'Ensuite : reprise mar. 09:00' : 'Next: back at work Tue 09:00'
      : lang() === 'fr' ? `Ensuite : fin à ${end}, retour mar. 09:00` : `Next: off at ${end}, back Tue 09:00`;
  return {
    working: true,
    next_end: '2026-11-30T18:00:00+01:00',
    next_start: '2026-12-01T09:00:00+01:00',
    text,
    on_call: [
      { start: '2026-12-18T18:00:00+01:00', end: '2026-12-21T09:00:00+01:00' },
      { start: '2027-01-08T18:00:00+01:00', end: '2027-01-11T09:00:00+01:00' },
      { start: '2027-01-29T18:00:00+01:00', end: '2027-02-01T09:00:00+01:00' },
    ],
  };
}

const settingsFile = (): SettingsFile => ({ form: structuredClone(current), path, refused: status.settings_refused });
let current: Form = structuredClone(form);

function statusChanged() {
  status.held = held.length;
  void send('status-changed', structuredClone(status));
}

mockIPC(
  (cmd, args) => {
    const given = named(args);
    calls.push({ cmd, args: structuredClone(given) });
    const a = given as Args;
    switch (cmd) {
      case 'status':
      case 'diagnostics':
        return structuredClone(status);
      case 'locale':
        if (config.lang === null) fail({ kind: 'io', message: 'no locale here' });
        return lang();
      case 'get_settings':
        return settingsFile();
      case 'validate_settings':
        return validate(a.form);
      case 'preview':
        return preview(a.form);
      case 'save_settings': {
        const errors = validate(a.form);
        if (errors.length) fail({ kind: 'invalid', fields: errors });
        current = structuredClone(a.form);
        return null;
      }
      case 'browser_profiles':
        return structuredClone(profiles);
      case 'add_browser_profile':
      case 'remove_browser_profile': {
        const p = profiles.find((x) => x.browser === a.browser);
        if (!p) fail({ kind: 'io', message: `no browser ${JSON.stringify(a.browser)}` });
        const app = `couper-${a.browser}-work`;
        const make = cmd === 'add_browser_profile';
        p.made = make;
        p.source = make;
        current.work_apps = current.work_apps.filter((w) => w.app !== app);
        if (make) current.work_apps.push({ name: `${p.label} (work)`, app, off_hours: 'hold' });
        return make ? `made ${app}` : `removed ${app}`;
      }
      case 'add_work_app':
        current.work_apps = [...current.work_apps, { name: a.app, app: a.app.toLowerCase(), off_hours: 'hold' }];
        return structuredClone(current);
      case 'seen_apps':
        return structuredClone(seen);
      case 'held':
        return structuredClone(held);
      case 'release': {
        const before = held.length;
        held = a.all ? [] : held.filter((h) => !a.ids.includes(h.id));
        statusChanged();
        return before - held.length;
      }
      case 'dismiss':
        held = held.filter((h) => h.id !== a.id);
        statusChanged();
        return null;
      case 'retry':
        // The gate stands in front again.
        status.not_gating = null;
        status.route = 'proxy';
        return structuredClone(status);
      case 'set_on_call':
        status.on_call_manual = a.on;
        status.on_call = a.on;
        return structuredClone(status);
      case 'set_mode':
        return structuredClone(status);
      case 'report':
        if (a.period === 'week')
          return forgotten
            ? ({ ...structuredClone(weekReport), apps: [], total: { held: 0, silenced: 0, delivered: 0, crises: 0 }, interruptions: [], worked_outside: [], by_hour: [] } satisfies Report)
            : structuredClone(weekReport);
        if (a.period === 'month') {
          if (a.month !== undefined && a.month !== statement.month) return { ...structuredClone(statement), month: a.month, periods: [], interventions: [] } satisfies Statement;
          return structuredClone(statement);
        }
        fail({ kind: 'io', message: `unknown period ${JSON.stringify(a.period)}` });
      case 'report_csv':
        if (a.month !== statement.month) fail({ kind: 'io', message: `no statement for ${a.month}` });
        return statementCsv[a.lang ?? lang()];
      case 'reply':
        return replies[a.lang ?? lang()];
      case 'forget':
        if (a.before !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(a.before))
          fail({ kind: 'invalid', fields: [{ key: 'before', message: `--before ${JSON.stringify(a.before)} is not a date` }] });
        if (a.before === undefined) forgotten = true;
        return a.before === undefined ? 117 : 42;
      case 'get_autostart':
        return autostart;
      case 'set_autostart':
        autostart = a.on;
        return autostart;
      default:
        fail({ kind: 'io', message: `the mock has no command ${cmd}` });
    }
  },
  { shouldMockEvents: true },
);

page.__couperMock = {
  calls,
  /** The canned report answers, for the tests to compare with. */
  report: { week: weekReport, statement, csv: statementCsv },
  /** The tray asks the window to show a tab, as `show-tab` says it. */
  showTab: (tab: Events['show-tab']) => send('show-tab', tab),
  /** The user said "I'm working" until `until` and went on call: `status-changed`. */
  workingOnCall(until: string) {
    status.mode = { mode: 'on', until };
    status.working = true;
    status.until = until;
    status.on_call = true;
    status.on_call_manual = true;
    status.held = 0;
    status.next_start = null;
    return send('status-changed', structuredClone(status));
  },
  /** Couper stands aside (fails open), as `status-changed` says it. */
  standAside(reason: string, replace: string | null) {
    status.not_gating = { reason, replace };
    status.route = 'none';
    return send('status-changed', structuredClone(status));
  },
  /** The store cannot keep notifications, as `status-changed` says it. */
  storeFails(error: string, shownUnkept: number) {
    status.store_failure = { since: '2026-11-27T21:04:00+01:00', error, shown_unkept: shownUnkept };
    return send('status-changed', structuredClone(status));
  },
  /** A hand edit of the file: the new form, as `settings-changed` carries it. */
  handEdit(change: (f: Form) => void, refused: string | null = null) {
    change(current);
    status.settings_refused = refused;
    return send('settings-changed', settingsFile());
  },
};
