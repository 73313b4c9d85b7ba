// The only module that talks to Tauri: one typed function per command of docs/ipc.md,
// and the two events. Everything the window shows comes through here, computed by the
// `couper` crate; nothing here decides anything.

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

// ---- The settings form: the layout of settings.toml (SPEC §5) as JSON. ----

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface TimeOff {
  start: string;
  end: string;
  label?: string | null;
}

export interface WorkApp {
  name: string;
  app: string;
  account?: string | null;
  /** For a browser: the sites (hosts) it is work for, subdomains included; none: every site. */
  sites?: string[];
  off_hours?: 'hold' | 'drop';
}

export interface Repeat {
  count: number | null;
  minutes: number | null;
}

export interface Crisis {
  pass?: 'always' | 'on_call';
  critical_urgency?: boolean;
  keywords: string[];
  senders: string[];
  repeat?: Repeat | null;
}

export interface Shift {
  start: string;
  end: string;
}

export interface Rotation {
  first: string;
  every_weeks?: number | null;
  start: string;
  end: string;
}

export interface OnCall {
  shifts: Shift[];
  rotation?: Rotation | null;
  calendar?: string | null;
  calendar_match?: string | null;
}

/** The form; keys the window does not edit (auto_reply, display…) ride along untouched. */
export interface Form {
  timezone?: string;
  /** The language Couper speaks; absent: the system's locale. */
  language?: Lang | '';
  holidays?: string | null;
  extra_holidays: string[];
  hours: Record<Weekday, string[]>;
  time_off: TimeOff[];
  work_apps: WorkApp[];
  crisis: Crisis;
  on_call: OnCall;
  release: { mode?: 'digest' | 'replay' };
  [other: string]: unknown;
}

/** One refusal of the engine, for the field its dotted `key` names (empty: the whole form). */
export interface FieldError {
  key: string;
  message: string;
}

/** A form as `form_of` gives it: empty tables and lists may be left out. */
export type EngineForm = Record<string, unknown>;

export interface SettingsFile {
  form: EngineForm;
  path: string;
  /** The last refusal of a hand edit, while the file stays refused. */
  refused: string | null;
}

// ---- What the Service reports. ----

export type Mode =
  | { mode: 'auto' }
  | { mode: 'off'; since: string; until: string | null; explicit: boolean }
  | { mode: 'on'; until: string };

export interface Status {
  mode: Mode;
  working: boolean;
  until: string | null;
  on_call: boolean;
  on_call_manual: boolean;
  held: number;
  next_start: string | null;
  timezone: string;
  route: string;
  route_reason: string;
  display: string | null;
  /** Why Couper does not gate the session now (it failed open), and whose daemon
   * `retry(true)` would put Couper in front of. */
  not_gating: { reason: string; replace: string | null } | null;
  display_bus: string | null;
  settings_path: string;
  settings_refused: string | null;
  /** While the store cannot keep notifications (they are shown at once instead). */
  store_failure?: StoreFailure | null;
}

export interface StoreFailure {
  since: string;
  error: string;
  shown_unkept: number;
}

export interface Notification {
  app: string;
  summary: string;
  body: string;
  [other: string]: unknown;
}

export interface Held {
  id: number;
  held_at: string;
  source: string | null;
  notification: Notification;
  crisis: boolean;
  until: string | null;
  reason: string;
  released_at: string | null;
}

/** A site a browser's notifications named (the host only). */
export interface SeenSite {
  site: string;
  count: number;
  last_seen: string;
}

/** A browser's work profile (`couper browser`), as `browser_profiles` says it. */
export interface ProfileInfo {
  browser: 'firefox' | 'chromium';
  /** Its name for people: "Firefox". */
  label: string;
  /** Its program is found here. */
  installed: boolean;
  /** Its work profile's menu entry is there. */
  made: boolean;
  /** The settings have its work source. */
  source: boolean;
  /** Where the profile's data is (or would be made). */
  profile: string;
}

export interface SeenApp {
  app: string;
  count: number;
  last_seen: string;
  /** For a browser: the sites its notifications named, newest first. */
  sites?: SeenSite[];
}

export interface Period {
  start: string;
  end: string;
}

export interface Preview {
  working: boolean;
  next_end: string | null;
  next_start: string | null;
  text: string;
  on_call: Period[];
}

export type Lang = 'fr' | 'en';

// ---- Reports (SPEC §8), as `couper report --json` gives them. ----

/** Hours, a number rounded to the hundredth, split by category (the categories overlap). */
export interface HoursSplit {
  hours: number;
  night_hours: number;
  sunday_hours: number;
  holiday_hours: number;
}

export interface Figures {
  held: number;
  silenced: number;
  delivered: number;
  crises: number;
}

export interface AppFigures extends Figures {
  app: string;
}

/** A crisis let through outside working time (an intervention when `on_call`). */
export interface Interruption {
  at: string;
  app: string;
  on_call: boolean;
  why: string;
}

export interface WorkedOutside {
  start: string;
  end: string;
  hours: number;
  outside_hours: number;
}

export type Origin = 'schedule' | 'calendar' | 'manual';

/** An on-call period cut to the report's days (`start`/`end`), with the whole period. */
export interface OnCallPeriod extends HoursSplit {
  start: string;
  end: string;
  period_start: string;
  period_end: string;
  origins: Origin[];
}

/** Work notifications of one local day and hour (`held` counts held and silenced). */
export interface HourCell {
  date: string;
  hour: number;
  held: number;
  delivered: number;
  crises: number;
}

export interface Days {
  first: string;
  last: string;
  from: string;
  to: string;
}

/** The disconnection report (`report` with `period: "week"`). */
export interface Report {
  timezone: string;
  days: Days;
  apps: AppFigures[];
  total: Figures;
  interruptions: Interruption[];
  worked_outside: WorkedOutside[];
  on_call: OnCallPeriod[];
  on_call_hours: HoursSplit;
  /** Non-empty cells only. */
  by_hour: HourCell[];
}

/** The monthly on-call statement (`report` with `period: "month"`). */
export interface Statement {
  timezone: string;
  month: string;
  days: Days;
  periods: OnCallPeriod[];
  total: HoursSplit;
  interventions: Interruption[];
}

// ---- Errors. ----

export type CommandError =
  | { kind: 'invalid'; fields: FieldError[] }
  | { kind: 'store' | 'io' | 'refused'; message: string };

/** A command failed: the Rust `CommandError`, or `ipc` when Tauri itself could not answer. */
export class IpcError extends Error {
  readonly error: CommandError | { kind: 'ipc'; message: string };

  constructor(command: string, raw: unknown) {
    const error = asCommandError(raw);
    super(`${command}: ${'message' in error ? error.message : `${error.fields.length} invalid field(s)`}`);
    this.name = 'IpcError';
    this.error = error;
  }

  /** The fields refused, when the command refused the form. */
  get fields(): FieldError[] {
    return this.error.kind === 'invalid' ? this.error.fields : [];
  }
}

function asCommandError(raw: unknown): CommandError | { kind: 'ipc'; message: string } {
  if (raw && typeof raw === 'object' && 'kind' in raw) {
    const e = raw as { kind: unknown; fields?: unknown; message?: unknown };
    if (e.kind === 'invalid' && Array.isArray(e.fields)) {
      return { kind: 'invalid', fields: e.fields as FieldError[] };
    }
    if ((e.kind === 'store' || e.kind === 'io' || e.kind === 'refused') && typeof e.message === 'string') {
      return { kind: e.kind, message: e.message };
    }
  }
  return { kind: 'ipc', message: raw instanceof Error ? raw.message : String(raw) };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw new IpcError(command, raw);
  }
}

// ---- The commands, one per row of docs/ipc.md. ----

export const ipc = {
  status: () => call<Status>('status'),
  setMode: (mode: 'off' | 'on' | 'auto' | 'toggle', until?: string) =>
    call<Status>('set_mode', until === undefined ? { mode } : { mode, until }),
  setOnCall: (on: boolean) => call<Status>('set_on_call', { on }),
  /** After Couper failed open: try again; with `replace`, in front of the daemon the user started. */
  retry: (replace: boolean) => call<Status>('retry', { replace }),
  held: () => call<Held[]>('held'),
  release: (ids: number[], all: boolean) => call<number>('release', { ids, all }),
  dismiss: (id: number) => call<void>('dismiss', { id }),
  seenApps: () => call<SeenApp[]>('seen_apps'),
  getSettings: () => call<SettingsFile>('get_settings'),
  validateSettings: (form: Form) => call<FieldError[]>('validate_settings', { form }),
  preview: (form: Form) => call<Preview>('preview', { form }),
  saveSettings: (form: Form) => call<void>('save_settings', { form }),
  addWorkApp: (app: string) => call<EngineForm>('add_work_app', { app }),
  /** Each browser's work profile. */
  browserProfiles: () => call<ProfileInfo[]>('browser_profiles'),
  /** Makes a browser's work profile (menu entry and work source); says what was made. */
  addBrowserProfile: (browser: ProfileInfo['browser']) => call<string>('add_browser_profile', { browser }),
  /** Removes a browser's work profile's menu entry and work source; its data stays. */
  removeBrowserProfile: (browser: ProfileInfo['browser']) => call<string>('remove_browser_profile', { browser }),
  diagnostics: () => call<Status>('diagnostics'),
  getAutostart: () => call<boolean>('get_autostart'),
  setAutostart: (on: boolean) => call<boolean>('set_autostart', { on }),
  locale: () => call<Lang>('locale'),
  /** This week's report. */
  weekReport: () => call<Report>('report', { period: 'week' }),
  /** The on-call statement of `month` ("YYYY-MM"; this month when left out). */
  statement: (month?: string) =>
    call<Statement>('report', month === undefined ? { period: 'month' } : { period: 'month', month }),
  /** The on-call statement of `month` as CSV text, in `lang` (the user's locale when left out). */
  reportCsv: (month: string, lang?: Lang) =>
    call<string>('report_csv', lang === undefined ? { month } : { month, lang }),
  /** The auto-reply text, in `lang` (the user's locale when left out). */
  reply: (lang?: Lang) => call<string>('reply', lang === undefined ? {} : { lang }),
  /** Erases the history (all of it, or before `before`, "YYYY-MM-DD"); says how many decisions went. */
  forget: (before?: string) => call<number>('forget', before === undefined ? {} : { before }),
};

// ---- Events from Rust. ----

export type Tab = 'hours' | 'apps' | 'crisis' | 'held' | 'report' | 'diagnostics';

export interface Events {
  'status-changed': Status;
  'settings-changed': SettingsFile;
  'show-tab': Tab;
}

/** Listens to one event; resolves to the function that stops listening. */
export async function on<E extends keyof Events>(
  event: E,
  handler: (payload: Events[E]) => void,
): Promise<UnlistenFn> {
  try {
    return await listen<Events[E]>(event, (e) => handler(e.payload));
  } catch (raw) {
    throw new IpcError(`listen ${event}`, raw);
  }
}
