// The only module that talks to Tauri: one typed function per command of docs/ipc.md,
// and the two events. Everything the window shows comes through here, computed by the
// `couper` crate; nothing here decides anything.

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { CommandError } from './generated/CommandError';
import type { FieldError } from './generated/FieldError';
import type { Held } from './generated/Held';
import type { Lang } from './generated/Lang';
import type { LiveStatus } from './generated/LiveStatus';
import type { Preview } from './generated/Preview';
import type { ProfileInfo } from './generated/ProfileInfo';
import type { Report } from './generated/Report';
import type { SeenApp } from './generated/SeenApp';
import type { SettingsView } from './generated/SettingsView';
import type { Statement } from './generated/Statement';

// What Rust sends and returns: generated from the Rust types (`ts-rs`, src/ts_bindings.rs)
// into ./generated/, never written by hand; `scripts/ts-types` writes them anew, and the
// Rust tests fail when they drift. Only the form's layout and the window's own types are
// written here.
export type { AppFigures } from './generated/AppFigures';
export type { CalendarStatus } from './generated/CalendarStatus';
export type { Days } from './generated/Days';
export type { Figures } from './generated/Figures';
export type { HourCell } from './generated/HourCell';
export type { Interruption } from './generated/Interruption';
export type { Mode } from './generated/Mode';
export type { NotGating } from './generated/NotGating';
export type { Notification } from './generated/Notification';
export type { OnCallPeriod } from './generated/OnCallPeriod';
export type { Origin } from './generated/Origin';
export type { Period } from './generated/Period';
export type { Route } from './generated/Route';
export type { SeenSite } from './generated/SeenSite';
export type { StoreFailure } from './generated/StoreFailure';
export type { WorkedOutside } from './generated/WorkedOutside';
export type {
  CommandError,
  FieldError,
  Held,
  Lang,
  Preview,
  ProfileInfo,
  Report,
  SeenApp,
  Statement,
};
/** The status: `couper status --json` (Rust's `LiveStatus`). */
export type Status = LiveStatus;
/** The settings in force, their file, and the last refusal of a hand edit. */
export type SettingsFile = SettingsView;
/** Hours, a number rounded to the hundredth, split by category (the categories overlap). */
export type { Split as HoursSplit } from './generated/Split';

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

/** A form as `form_of` gives it: empty tables and lists may be left out. */
export type EngineForm = Record<string, unknown>;

// ---- Errors. ----

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
