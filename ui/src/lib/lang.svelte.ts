// The window's language: the one the Rust side speaks (the `locale` command: the
// settings' `language` when set, else the system's locale), asked again whenever the
// settings change; the browser's when there is no Tauri around.

import { ipc, type Lang } from './ipc';
import { capitalized, langOf, translate, type Key, type Params } from './i18n';

let current = $state<Lang>('en');

export function lang(): Lang {
  return current;
}

export function setLang(value: Lang): void {
  current = value;
  if (typeof document !== 'undefined') document.documentElement.lang = value;
}

/** Asks Rust for the language; falls back to `navigator.language`. */
export async function chooseLang(): Promise<Lang> {
  let chosen: Lang;
  try {
    chosen = langOf(await ipc.locale());
  } catch {
    chosen = langOf(typeof navigator === 'undefined' ? null : navigator.language);
  }
  setLang(chosen);
  return chosen;
}

/** The text for `key` in the current language (reactive in templates). */
export function t(key: Key, params?: Params): string {
  return translate(current, key, params);
}

/** A weekday's name as a label: "Monday" / "Lundi". */
export function dayName(day: string): string {
  return capitalized(t(`day-${day}`));
}
