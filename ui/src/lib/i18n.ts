// Every word the window shows, from the one catalogue the Rust side says its words from:
// the Fluent files under locales/<lang>/ (common.ftl for the words the tray, the CLI and
// the window share, window.ftl for the window's own). Unit tests fail when a message is
// in one language only, or when a component says a message the catalogue lacks.

import { FluentBundle, FluentNumber, FluentResource, type FluentVariable } from '@fluent/bundle';
import type { Lang } from './ipc';

/** The languages Couper speaks. */
export const LANGS: readonly Lang[] = ['en', 'fr'];

/** A message's id in the catalogue: `state-off-until`, `hours-heading`. */
export type Key = string;

export type Params = Record<string, string | number>;

const raw = import.meta.glob('../../../locales/*/*.ftl', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

/** One file of the catalogue: its language, its name (`common`) and its text. */
export interface CatalogueFile {
  lang: string;
  name: string;
  text: string;
}

/** Every file of the catalogue, as embedded at build time. */
export const catalogue: readonly CatalogueFile[] = Object.entries(raw)
  .map(([path, text]) => {
    const [, lang = '', name = ''] = /locales\/([^/]+)\/([^/]+)\.ftl$/.exec(path) ?? [];
    return { lang, name, text };
  })
  .sort((a, b) => `${a.lang}/${a.name}`.localeCompare(`${b.lang}/${b.name}`));

function bundle(lang: Lang): FluentBundle {
  // No bidi isolation marks around placeables, as on the Rust side: the window prints
  // the very same characters as the tray and the CLI.
  const made = new FluentBundle(lang, { useIsolating: false });
  for (const file of catalogue) {
    if (file.lang !== lang) continue;
    const errors = made.addResource(new FluentResource(file.text));
    for (const e of errors) console.error(`locales/${lang}/${file.name}.ftl: ${e.message}`);
  }
  return made;
}

const bundles: Record<Lang, FluentBundle> = { en: bundle('en'), fr: bundle('fr') };

/** Whether the catalogue has message `key` in `lang`. */
export function has(lang: Lang, key: Key): boolean {
  return bundles[lang].hasMessage(key);
}

/**
 * Message `key` in `lang`, its placeables filled from `params`. Numbers are written as
 * Rust writes them (no grouping: "1234 held" in both). A message the catalogue lacks says
 * its id; a missing parameter stays visible (`{$count}`).
 */
export function translate(lang: Lang, key: Key, params: Params = {}): string {
  const bundle = bundles[lang];
  const message = bundle.getMessage(key);
  if (!message?.value) return key;
  const args: Record<string, FluentVariable> = {};
  for (const [name, value] of Object.entries(params)) {
    args[name] = typeof value === 'number' ? new FluentNumber(value, { useGrouping: false }) : value;
  }
  const errors: Error[] = [];
  return bundle.formatPattern(message.value, args, errors);
}

/** `text` with its first letter in capitals: "lundi" as a label is "Lundi". */
export function capitalized(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** The window's language from a locale tag (`fr-FR`, `en_GB.UTF-8`): French or English. */
export function langOf(tag: string | null | undefined): Lang {
  return tag && /^fr\b/i.test(tag.replace('_', '-')) ? 'fr' : 'en';
}

/** The BCP 47 tag for numbers in `lang`. */
export function localeTag(lang: Lang): string {
  return lang === 'fr' ? 'fr-FR' : 'en-GB';
}
