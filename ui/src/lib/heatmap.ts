// The week chart's layout: the report's non-empty hours (`by_hour`) laid out on a 7 x 24
// grid, the colour of each cell chosen from its counts, and how arrow keys move in it.
// No figure is computed here: every count is the engine's.

import { WEEKDAYS, type HourCell, type Report, type Weekday } from './ipc';

export const HOURS = 24;

export interface Cell {
  /** 0 (Monday) to 6 (Sunday): the row. */
  day: number;
  weekday: Weekday;
  date: string;
  /** 0 to 23: the column. */
  hour: number;
  held: number;
  delivered: number;
  crises: number;
}

export type Tone = 'none' | 'delivered' | 'held' | 'crisis';

/** "2026-11-23" plus `n` days, as a date string (calendar arithmetic, no zone). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const when = new Date(Date.UTC(y, m - 1, d + n));
  return when.toISOString().slice(0, 10);
}

/** The 7 rows of 24 cells of the report's week (which starts on a Monday). */
export function grid(report: Pick<Report, 'days' | 'by_hour'>): Cell[][] {
  const at = new Map<string, HourCell>();
  for (const cell of report.by_hour) at.set(`${cell.date} ${cell.hour}`, cell);
  return WEEKDAYS.map((weekday, day) => {
    const date = addDays(report.days.first, day);
    return Array.from({ length: HOURS }, (_, hour) => {
      const given = at.get(`${date} ${hour}`);
      return {
        day,
        weekday,
        date,
        hour,
        held: given?.held ?? 0,
        delivered: given?.delivered ?? 0,
        crises: given?.crises ?? 0,
      };
    });
  });
}

/** A cell's colour: crisis over held over delivered; `none` when empty. */
export function tone(cell: Pick<Cell, 'held' | 'delivered' | 'crises'>): Tone {
  if (cell.crises > 0) return 'crisis';
  if (cell.held > 0 && cell.held >= cell.delivered) return 'held';
  if (cell.delivered > 0) return 'delivered';
  if (cell.held > 0) return 'held';
  return 'none';
}

/** How strong the colour is, 0 (empty) to 3, against the busiest cell of the week. */
export function level(cell: Pick<Cell, 'held' | 'delivered' | 'crises'>, busiest: number): number {
  const n = cell.held + cell.delivered + cell.crises;
  if (n === 0 || busiest <= 0) return 0;
  return Math.min(3, Math.max(1, Math.ceil((3 * n) / busiest)));
}

/** The largest number of notifications in one cell. */
export function busiest(rows: Cell[][]): number {
  return Math.max(0, ...rows.flat().map((c) => c.held + c.delivered + c.crises));
}

/** Where a key moves the focus from (day, hour); null for any other key. */
export function move(day: number, hour: number, key: string): [number, number] | null {
  switch (key) {
    case 'ArrowRight':
      return [day, Math.min(HOURS - 1, hour + 1)];
    case 'ArrowLeft':
      return [day, Math.max(0, hour - 1)];
    case 'ArrowDown':
      return [Math.min(WEEKDAYS.length - 1, day + 1), hour];
    case 'ArrowUp':
      return [Math.max(0, day - 1), hour];
    case 'Home':
      return [day, 0];
    case 'End':
      return [day, HOURS - 1];
    case 'PageUp':
      return [0, hour];
    case 'PageDown':
      return [WEEKDAYS.length - 1, hour];
    default:
      return null;
  }
}

/** "21:00". */
export const clock = (hour: number): string => `${String(hour).padStart(2, '0')}:00`;

/** The file name of a month's on-call statement. */
export function csvFileName(month: string): string {
  return `couper-on-call-${month}.csv`;
}
