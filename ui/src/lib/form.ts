// Form state helpers: the engine's form made editable (empty lists filled in so inputs
// can bind to them), sent back in the engine's shape, compared for "unsaved edits", and
// the engine's field errors placed next to their fields. Layout only: whether a value is
// valid is the engine's answer to `validate_settings`, never decided here.

import { WEEKDAYS, type FieldError, type Form, type Tab, type Weekday, type WorkApp } from './ipc';

type Raw = Record<string, unknown>;

function object(value: unknown): Raw {
  return value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Raw) } : {};
}

function list<T>(value: unknown): T[] {
  return Array.isArray(value) ? (structuredClone(value) as T[]) : [];
}

/** A deep copy of `raw` with every list and table the window edits present (empty if absent). */
export function editable(raw: Raw): Form {
  const form = structuredClone(raw) as Raw;
  const hours = object(form.hours);
  for (const day of WEEKDAYS) hours[day] = list<string>(hours[day]);
  const crisis = object(form.crisis);
  crisis.keywords = list<string>(crisis.keywords);
  crisis.senders = list<string>(crisis.senders);
  const onCall = object(form.on_call);
  onCall.shifts = list(onCall.shifts);
  return {
    ...form,
    language: form.language === 'fr' || form.language === 'en' ? form.language : '',
    extra_holidays: list<string>(form.extra_holidays),
    hours: hours as Form['hours'],
    time_off: list(form.time_off),
    work_apps: list<Raw>(form.work_apps).map((app) => ({ ...app, sites: list<string>(app.sites) })) as never,
    crisis: crisis as unknown as Form['crisis'],
    on_call: onCall as unknown as Form['on_call'],
    release: object(form.release),
  };
}

/** Empty optional texts mean "not set": the engine wants the key left out, not "". */
function withoutEmpty<T extends Raw>(item: T, keys: string[]): T {
  const copy: Raw = { ...item };
  for (const key of keys) {
    if (copy[key] === '' || copy[key] === null || copy[key] === undefined) delete copy[key];
  }
  return copy as T;
}

/** The form as the engine reads it: a plain copy, optional empty texts left out. */
export function wire(form: Form): Form {
  const copy = structuredClone(form) as Form;
  if (!copy.holidays) delete copy.holidays;
  if (!copy.language) delete copy.language;
  copy.time_off = copy.time_off.map((period) => withoutEmpty(period as unknown as Raw, ['label']) as never);
  copy.work_apps = copy.work_apps.map((app) => {
    const sent = withoutEmpty(app as unknown as Raw, ['account']);
    if (Array.isArray(sent.sites) && sent.sites.length === 0) delete sent.sites;
    return sent as never;
  });
  if (!copy.crisis.repeat) delete copy.crisis.repeat;
  if (!copy.on_call.rotation) delete copy.on_call.rotation;
  return copy;
}

// ---- Work sites ("This is work" on a site a browser named). ----

const sameApp = (source: WorkApp, app: string) => source.app.trim().toLowerCase() === app.trim().toLowerCase();

/** Whether `site` is a work site of `app` in `form` already (listed, or under a listed site). */
export function isWorkSite(form: Form, app: string, site: string): boolean {
  return form.work_apps.some(
    (source) =>
      sameApp(source, app) && (source.sites ?? []).some((listed) => site === listed || site.endsWith(`.${listed}`)),
  );
}

/**
 * `form` with `site` a work site of the browser `app`: added to the first of its sources
 * that names sites, else in a new source `name` for that browser and that site alone.
 */
export function withWorkSite(form: Form, app: string, site: string, name: string): Form {
  const copy = structuredClone(form);
  if (isWorkSite(copy, app, site)) return copy;
  const source = copy.work_apps.find((s) => sameApp(s, app) && (s.sites ?? []).length > 0);
  if (source) source.sites = [...(source.sites ?? []), site];
  else copy.work_apps.push({ name, app, sites: [site], off_hours: 'hold' });
  return copy;
}

/** JSON with object keys sorted, so two forms compare by content. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Raw).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Whether two forms say the same (absent lists and empty lists are the same). */
export function sameForm(a: Raw, b: Raw): boolean {
  return canonical(wire(editable(a))) === canonical(wire(editable(b)));
}

// ---- Field errors. ----

/** The errors for exactly `key`. */
export function errorsFor(errors: FieldError[], key: string): FieldError[] {
  return errors.filter((e) => e.key === key);
}

/** A DOM id for the field of `key` (`work_apps[2].app` → `field-work_apps-2-app`). */
export function fieldId(key: string): string {
  return `field-${key.replace(/[^A-Za-z0-9_]+/g, '-').replace(/-+$/, '')}`;
}

/** The DOM id of the error text of `key`'s field. */
export function errorId(key: string): string {
  return `error-${fieldId(key).slice('field-'.length)}`;
}

/** Which tab shows the field of `key`. */
export function tabOf(key: string): Tab | null {
  const head = key.split(/[.[]/)[0] ?? '';
  if (['timezone', 'language', 'holidays', 'extra_holidays', 'hours', 'time_off'].includes(head)) return 'hours';
  if (head === 'work_apps') return 'apps';
  if (head === 'crisis' || head === 'on_call') return 'crisis';
  if (head === 'release') return 'held';
  return null;
}

/**
 * Which of a day's ranges an `hours.<day>` error is about: the engine quotes the range's
 * text first (`"18:00-18:00" starts and ends at the same time`). -1: the day as a whole.
 */
export function rangeOfError(message: string, ranges: readonly string[]): number {
  return ranges.findIndex((text) => message.startsWith(JSON.stringify(text)));
}

// ---- Texts split for two inputs, and joined back as written. ----

/** `"09:00-18:00"` → `["09:00", "18:00"]`, as the two inputs show it. */
export function splitRange(text: string): [string, string] {
  const at = text.indexOf('-');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

export function joinRange(start: string, end: string): string {
  return `${start.trim()}-${end.trim()}`;
}

/** `"fri 18:00"` → `{ day: "fri", time: "18:00" }`, for a day menu and a time input. */
export function splitWeekTime(text: string): { day: string; time: string } {
  const [day = '', time = ''] = text.trim().split(/\s+/, 2);
  return { day: day.toLowerCase(), time };
}

export function joinWeekTime(day: string, time: string): string {
  return `${day} ${time.trim()}`;
}

/** The weekday keys in the order the week view shows them. */
export function days(): readonly Weekday[] {
  return WEEKDAYS;
}
