// Dates and times as the window prints them, in the user's zone and language. Only
// formatting: which instants to show comes from the engine.

import type { Lang } from './ipc';
import { localeTag } from './i18n';

function formatter(lang: Lang, zone: string | undefined, options: Intl.DateTimeFormatOptions) {
  try {
    return new Intl.DateTimeFormat(localeTag(lang), { ...options, timeZone: zone || undefined });
  } catch {
    return new Intl.DateTimeFormat(localeTag(lang), options);
  }
}

/** "Mon 30 Nov, 09:00" / "lun. 30 nov., 09:00". */
export function dateTime(iso: string | null | undefined, lang: Lang, zone?: string): string {
  if (!iso) return '';
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  return formatter(lang, zone, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(when);
}

/** "Tue 09:00" / "mar. 09:00": for "until" within the coming week. */
export function dayTime(iso: string | null | undefined, lang: Lang, zone?: string): string {
  if (!iso) return '';
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  return formatter(lang, zone, { weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    when,
  );
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
