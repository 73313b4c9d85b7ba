// Dates and times as the window prints them, in the user's zone and language, from the
// catalogue's words (when-*, day-short-*, month-*), by the same rule as Rust's
// `couper::words::short`: the window's "Off until Tue 09:00" is the tray's. Only
// formatting: which instants to show comes from the engine.

import type { Lang } from './ipc';
import { translate } from './i18n';

/** The catalogue's days, Monday first. */
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** An instant as the clock on the wall in a zone shows it. */
interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const walls = new Map<string, Intl.DateTimeFormat>();

function wallFormat(zone: string | undefined): Intl.DateTimeFormat {
  const key = zone ?? '';
  let format = walls.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions = {
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    };
    try {
      format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: zone || undefined });
    } catch {
      format = new Intl.DateTimeFormat('en-GB', options);
    }
    walls.set(key, format);
  }
  return format;
}

function wall(when: Date, zone: string | undefined): Wall {
  const parts: Record<string, number> = {};
  for (const part of wallFormat(zone).formatToParts(when)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
  };
}

/** Days from the epoch to a wall date: days between two dates, whatever the zone. */
function dayNumber(w: Wall): number {
  return Math.round(Date.UTC(w.year, w.month - 1, w.day) / 86_400_000);
}

const two = (n: number) => String(n).padStart(2, '0');

function parts(w: Wall, lang: Lang) {
  // 1970-01-01 was a Thursday.
  const weekday = DAYS[(((dayNumber(w) + 3) % 7) + 7) % 7] ?? 'mon';
  return {
    time: `${two(w.hour)}:${two(w.minute)}`,
    day: translate(lang, `day-short-${weekday}`),
    date: String(w.day),
    month: translate(lang, `month-short-${w.month}`),
  };
}

function instant(iso: string | null | undefined): Date | null | string {
  if (!iso) return null;
  const when = new Date(iso);
  return Number.isNaN(when.getTime()) ? iso : when;
}

/**
 * `then` said from `now`, short, as Rust's `words::short`: "18:00" the same day, "Tue
 * 09:00" within the coming week, "Tue 2 Dec 09:00" further or in the past.
 */
export function short(now: Date, then: Date, lang: Lang, zone?: string): string {
  const [here, there] = [wall(now, zone), wall(then, zone)];
  const said = parts(there, lang);
  const days = dayNumber(there) - dayNumber(here);
  if (days === 0) return translate(lang, 'when-today', { time: said.time });
  // A past day always has its date: "Mon 18:05" would read as the Monday to come.
  if (days > 0 && days < 7) {
    return translate(lang, 'when-this-week', { day: said.day, time: said.time });
  }
  return translate(lang, 'when-later', said);
}

/** "until" as the tray says it: `iso` said from `now` (`short`). */
export function until(iso: string | null | undefined, lang: Lang, zone?: string, now = new Date()): string {
  const when = instant(iso);
  if (when === null || typeof when === 'string') return when ?? '';
  return short(now, when, lang, zone);
}

/** "Mon 30 Nov 09:00" / "lun. 30 nov. 09:00": a moment in a list, whole. */
export function dateTime(iso: string | null | undefined, lang: Lang, zone?: string): string {
  const when = instant(iso);
  if (when === null || typeof when === 'string') return when ?? '';
  return translate(lang, 'when-later', parts(wall(when, zone), lang));
}

/** A day (`YYYY-MM-DD`) with its month's name: "30 November" / "30 novembre". */
export function dayMonth(date: string, lang: Lang): string {
  const [, month = '1', day = '1'] = date.split('-');
  return translate(lang, 'date-day-month', { date: String(Number(day)), month: translate(lang, `month-${Number(month)}`) });
}

/** A day (`YYYY-MM-DD`) in full: "2 December 2026" / "2 décembre 2026". */
export function longDate(date: string, lang: Lang): string {
  const [year = '', month = '1', day = '1'] = date.split('-');
  return translate(lang, 'date-long', {
    date: String(Number(day)),
    month: translate(lang, `month-${Number(month)}`),
    year,
  });
}

/** A month (`YYYY-MM`): "November 2026" / "novembre 2026". */
export function monthYear(month: string, lang: Lang): string {
  const [year = '', number = '1'] = month.split('-');
  return translate(lang, 'date-month-year', { month: translate(lang, `month-${Number(number)}`), year });
}

/** Every IANA zone the platform knows, for the time-zone suggestions. */
export function timeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}
