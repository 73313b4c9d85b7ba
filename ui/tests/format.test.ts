import { describe, expect, test } from 'vitest';
import { dateTime, dayMonth, longDate, monthYear, short, until } from '../src/lib/format';
import type { Lang } from '../src/lib/ipc';
import cases from './when.cases.json';

// The same table is checked against Rust's `couper::words::short` by the tray's tests
// (src-tauri/src/tray/look.rs): the window and the tray say every moment alike.
describe('a moment said from now, as Rust says it', () => {
  for (const c of cases) {
    for (const lang of ['en', 'fr'] as Lang[]) {
      test(`${c.why} (${lang})`, () => {
        expect(short(new Date(c.now), new Date(c.then), lang, c.zone)).toBe(c[lang]);
      });
    }
  }

  test('the status line says "until" from the moment given', () => {
    const now = new Date('2026-11-30T19:00:00+01:00');
    expect(until('2026-12-01T09:00:00+01:00', 'fr', 'Europe/Paris', now)).toBe('mar. 09:00');
    expect(until(null, 'en', 'Europe/Paris', now)).toBe('');
  });
});

describe('dates in lists', () => {
  test('a moment in a list is said whole', () => {
    expect(dateTime('2026-11-30T09:05:00+01:00', 'en', 'Europe/Paris')).toBe('Mon 30 Nov 09:05');
    expect(dateTime('2026-11-30T09:05:00+01:00', 'fr', 'Europe/Paris')).toBe('lun. 30 nov. 09:05');
    expect(dateTime('not a date', 'en')).toBe('not a date');
    expect(dateTime(null, 'en')).toBe('');
  });

  test('days and months with the catalogue’s month names', () => {
    expect(dayMonth('2026-11-30', 'en')).toBe('30 November');
    expect(dayMonth('2026-12-01', 'fr')).toBe('1 décembre');
    expect(longDate('2026-12-02', 'fr')).toBe('2 décembre 2026');
    expect(monthYear('2026-11', 'en')).toBe('November 2026');
    expect(monthYear('2026-02', 'fr')).toBe('février 2026');
  });
});
