// The window's language, chosen once from the `locale` command (the system's, as the
// engine reads it), or from the browser when there is no Tauri around.

import { ipc, type Lang } from './ipc';
import { langOf, translate, type Key } from './i18n';

let current = $state<Lang>('en');

export function lang(): Lang {
  return current;
}

export function setLang(value: Lang): void {
  current = value;
  if (typeof document !== 'undefined') document.documentElement.lang = value;
}

/** Asks Rust for the locale; falls back to `navigator.language`. */
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
export function t(key: Key, params?: Record<string, string | number>): string {
  return translate(current, key, params);
}
