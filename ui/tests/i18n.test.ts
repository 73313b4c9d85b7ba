import { parse, type Message, type Pattern, type PatternElement } from '@fluent/syntax';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { capitalized, catalogue, has, langOf, LANGS, localeTag, translate } from '../src/lib/i18n';
import { WEEKDAYS } from '../src/lib/ipc';

/** The catalogue as on disk, not as Vite embedded it: a file Vite missed fails here. */
const root = join(__dirname, '..', '..', 'locales');
const onDisk = (lang: string) =>
  readdirSync(join(root, lang))
    .filter((name) => name.endsWith('.ftl'))
    .sort();

function messages(lang: string): Map<string, Message> {
  const found = new Map<string, Message>();
  for (const name of onDisk(lang)) {
    const resource = parse(readFileSync(join(root, lang, name), 'utf8'), {});
    for (const entry of resource.body) {
      expect(entry.type, `locales/${lang}/${name}: ${entry.type === 'Junk' ? entry.content : ''}`).not.toBe('Junk');
      if (entry.type !== 'Message') continue;
      expect(found.has(entry.id.name), `${entry.id.name} is defined twice in ${lang}`).toBe(false);
      found.set(entry.id.name, entry);
    }
  }
  return found;
}

function variables(pattern: Pattern | null): string[] {
  const names = new Set<string>();
  const walk = (elements: PatternElement[]) => {
    for (const element of elements) {
      if (element.type !== 'Placeable') continue;
      const e = element.expression;
      if (e.type === 'VariableReference') names.add(e.id.name);
      if (e.type === 'SelectExpression') {
        if (e.selector.type === 'VariableReference') names.add(e.selector.id.name);
        for (const variant of e.variants) walk(variant.value.elements);
      }
    }
  };
  if (pattern) walk(pattern.elements);
  return [...names].sort();
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(svelte|ts)$/.test(name) ? [path] : [];
  });
}

describe('the catalogue', () => {
  const en = messages('en');
  const fr = messages('fr');

  test('has the same files in both languages, all of them embedded in the window', () => {
    expect(onDisk('fr')).toEqual(onDisk('en'));
    expect(onDisk('en')).toEqual(expect.arrayContaining(['common.ftl', 'window.ftl', 'tray.ftl']));
    for (const lang of LANGS) {
      expect(catalogue.filter((f) => f.lang === lang).map((f) => `${f.name}.ftl`)).toEqual(onDisk(lang));
    }
  });

  test('has every message in both languages', () => {
    const onlyEn = [...en.keys()].filter((id) => !fr.has(id));
    const onlyFr = [...fr.keys()].filter((id) => !en.has(id));
    expect(onlyEn, 'in English only').toEqual([]);
    expect(onlyFr, 'in French only').toEqual([]);
    expect(en.size).toBeGreaterThan(200);
  });

  // French may ask for more than English (a selector for elision, "9 h 30" against
  // "9:30"), never for less: no placeable of the English text is lost in French.
  test('keeps every English placeable in French', () => {
    for (const [id, message] of en) {
      const french = new Set(variables(fr.get(id)?.value ?? null));
      for (const name of variables(message.value)) expect(french.has(name), `${id}: $${name}`).toBe(true);
    }
  });

  test('has no empty message', () => {
    for (const lang of LANGS) {
      for (const id of en.keys()) expect(translate(lang, id, {}).trim(), `${lang} ${id}`).not.toBe('');
    }
  });

  test('knows every message the window says', () => {
    const used = new Set<string>();
    for (const file of sources(join(__dirname, '..', 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\b(?:t|translate)\(\s*(?:[\w.()]+,\s*)?'([^']+)'/g)) used.add(m[1]!);
      // Labels listed beside their values: [['always', 'crisis-pass-always'], …].
      for (const m of text.matchAll(/\[\s*'[^']+'\s*,\s*'([a-z]+(?:-[a-z]+)+)'\s*\]/g)) used.add(m[1]!);
    }
    // Ids made from a name: t(`day-${day}`), t(`tab-${name}`), the months of a date.
    for (const day of WEEKDAYS) used.add(`day-${day}`).add(`day-short-${day}`);
    for (const tab of ['hours', 'apps', 'crisis', 'held', 'report', 'diagnostics']) used.add(`tab-${tab}`);
    for (const origin of ['schedule', 'calendar', 'manual']) used.add(`report-origin-${origin}`);
    for (let month = 1; month <= 12; month++) used.add(`month-${month}`).add(`month-short-${month}`);
    expect(used.size).toBeGreaterThan(200);
    const missing = [...used].filter((id) => !en.has(id) || !fr.has(id));
    expect(missing).toEqual([]);
    // And the window embedded what is on disk.
    for (const lang of LANGS) expect([...used].filter((id) => !has(lang, id)), lang).toEqual([]);
  });
});

describe('translate', () => {
  test('fills in the parameters, without isolation marks', () => {
    expect(translate('en', 'state-held', { count: 3 })).toBe('3 held');
    expect(translate('fr', 'state-held', { count: 3 })).toBe('3 en attente');
    expect(translate('fr', 'apps-added', { app: 'Slack' })).toBe('Slack est maintenant une appli pro.');
    expect(translate('fr', 'state-off-until', { until: 'mar. 09:00' })).toBe('Déconnecté jusqu\'à mar. 09:00');
  });

  test('writes numbers as the Rust side does, without grouping', () => {
    expect(translate('en', 'state-held', { count: 1234 })).toBe('1234 held');
    expect(translate('fr', 'state-held', { count: 1234 })).toBe('1234 en attente');
  });

  test('leaves a missing parameter visible rather than empty, and a missing message says its id', () => {
    expect(translate('en', 'state-held')).toBe('{$count} held');
    expect(translate('en', 'no-such-message')).toBe('no-such-message');
  });

  test('a day as a label starts with a capital in both languages', () => {
    expect(capitalized(translate('fr', 'day-mon'))).toBe('Lundi');
    expect(capitalized(translate('en', 'day-mon'))).toBe('Monday');
  });

  test('French from any French locale tag, English otherwise', () => {
    expect(langOf('fr')).toBe('fr');
    expect(langOf('fr-CA')).toBe('fr');
    expect(langOf('fr_FR.UTF-8')).toBe('fr');
    expect(langOf('en-US')).toBe('en');
    expect(langOf('de-DE')).toBe('en');
    expect(langOf('')).toBe('en');
    expect(langOf(undefined)).toBe('en');
    expect(localeTag('fr')).toBe('fr-FR');
  });
});
