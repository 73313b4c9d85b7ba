import { describe, expect, test } from 'vitest';
import { addDays, busiest, clock, csvFileName, grid, level, move, tone } from '../src/lib/heatmap';

const days = { first: '2026-11-23', last: '2026-11-29', from: '', to: '' };

describe('the week grid', () => {
  test('7 rows of 24 cells, Monday first, the counts where given and zero elsewhere', () => {
    const rows = grid({
      days,
      by_hour: [
        { date: '2026-11-24', hour: 21, held: 3, delivered: 0, crises: 1 },
        { date: '2026-11-29', hour: 0, held: 1, delivered: 0, crises: 0 },
      ],
    });
    expect(rows).toHaveLength(7);
    expect(rows.every((r) => r.length === 24)).toBe(true);
    expect(rows[0]![0]).toMatchObject({ weekday: 'mon', date: '2026-11-23', hour: 0, held: 0 });
    expect(rows[1]![21]).toMatchObject({ weekday: 'tue', held: 3, crises: 1, delivered: 0 });
    expect(rows[6]![0]).toMatchObject({ weekday: 'sun', date: '2026-11-29', held: 1 });
  });

  test('days across a month and a year', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-12-28', 6)).toBe('2027-01-03');
    expect(addDays('2026-10-25', 1)).toBe('2026-10-26');
  });
});

describe('colours', () => {
  test('crisis over held over delivered', () => {
    expect(tone({ held: 3, delivered: 0, crises: 1 })).toBe('crisis');
    expect(tone({ held: 2, delivered: 1, crises: 0 })).toBe('held');
    expect(tone({ held: 1, delivered: 5, crises: 0 })).toBe('delivered');
    expect(tone({ held: 0, delivered: 0, crises: 0 })).toBe('none');
  });

  test('levels against the busiest cell', () => {
    expect(level({ held: 0, delivered: 0, crises: 0 }, 8)).toBe(0);
    expect(level({ held: 0, delivered: 1, crises: 0 }, 8)).toBe(1);
    expect(level({ held: 0, delivered: 8, crises: 0 }, 8)).toBe(3);
    expect(level({ held: 1, delivered: 0, crises: 0 }, 0)).toBe(0);
    const rows = grid({ days, by_hour: [{ date: '2026-11-23', hour: 10, held: 0, delivered: 8, crises: 0 }] });
    expect(busiest(rows)).toBe(8);
  });
});

describe('keys', () => {
  test('arrows move by an hour or a day and stop at the edges', () => {
    expect(move(1, 21, 'ArrowRight')).toEqual([1, 22]);
    expect(move(1, 23, 'ArrowRight')).toEqual([1, 23]);
    expect(move(1, 0, 'ArrowLeft')).toEqual([1, 0]);
    expect(move(1, 5, 'ArrowDown')).toEqual([2, 5]);
    expect(move(6, 5, 'ArrowDown')).toEqual([6, 5]);
    expect(move(0, 5, 'ArrowUp')).toEqual([0, 5]);
    expect(move(3, 5, 'Home')).toEqual([3, 0]);
    expect(move(3, 5, 'End')).toEqual([3, 23]);
    expect(move(3, 5, 'PageUp')).toEqual([0, 5]);
    expect(move(3, 5, 'PageDown')).toEqual([6, 5]);
    expect(move(3, 5, 'a')).toBeNull();
  });

  test('clock and file name', () => {
    expect(clock(9)).toBe('09:00');
    expect(clock(21)).toBe('21:00');
    expect(csvFileName('2026-11')).toBe('couper-on-call-2026-11.csv');
  });
});
