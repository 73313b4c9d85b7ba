import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { en, fr, langOf, localeTag, translate, type Key } from '../src/lib/i18n';
import { WEEKDAYS } from '../src/lib/ipc';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(svelte|ts)$/.test(name) ? [path] : [];
  });
}

describe('the two dictionaries', () => {
  test('have the same keys', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });

  test('have no empty text', () => {
    for (const dict of [en, fr]) {
      for (const [key, text] of Object.entries(dict)) expect(text.trim(), key).not.toBe('');
    }
  });

  test('have the same placeholders for each key', () => {
    for (const key of Object.keys(en) as Key[]) expect(placeholders(fr[key]), key).toEqual(placeholders(en[key]));
  });

  test('know every key the components use', () => {
    const root = join(__dirname, '..', 'src');
    const used = new Set<string>();
    for (const file of sources(root)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([^']+)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/\[\s*'[^']+'\s*,\s*'([a-zA-Z]+\.[a-zA-Z]+)'\s*\]/g)) used.add(m[1]!);
    }
    // Keys made from a name: t(`day.${day}`), t(`tab.${name}`).
    for (const day of WEEKDAYS) used.add(`day.${day}`);
    for (const tab of ['hours', 'apps', 'crisis', 'held', 'report', 'diagnostics']) used.add(`tab.${tab}`);
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((key) => !(key in en) || !(key in fr));
    expect(missing).toEqual([]);
  });
});

describe('translate', () => {
  test('fills in the parameters', () => {
    expect(translate('en', 'status.held', { count: 3 })).toBe('3 held');
    expect(translate('fr', 'status.held', { count: 3 })).toBe('3 en attente');
    expect(translate('fr', 'apps.added', { app: 'Slack' })).toBe('Slack est maintenant une appli pro.');
  });

  test('leaves a missing parameter visible rather than empty', () => {
    expect(translate('en', 'status.held')).toBe('{count} held');
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
