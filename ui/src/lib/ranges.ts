// The geometry of the week view: where a range's text sits on a 24-hour track, and what
// a drag or an arrow key makes of it (15-minute steps). The result is written back as
// range text and the engine judges it; nothing here decides what is working time.

export const DAY = 24 * 60;
export const STEP = 15;

/** A range on the track, in minutes from midnight; `end` in 1..1440 (1440 is 24:00). */
export interface Span {
  start: number;
  end: number;
}

/** A piece of a range as drawn: a range across midnight is drawn in two. */
export interface Segment {
  from: number;
  to: number;
  /** The segment that holds the range's start edge (and the end edge, when not wrapped). */
  first: boolean;
  hasStart: boolean;
  hasEnd: boolean;
}

const mod = (n: number, m: number) => ((n % m) + m) % m;

/** `"09:30"` → 570; null for anything the track cannot place. */
export function parseClock(text: string): number | null {
  const m = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return null;
  return h * 60 + min;
}

/** 570 → `"09:30"`; 1440 → `"24:00"`. */
export function formatClock(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** Where to draw `"22:00-06:00"`; null when the text is not a drawable range. */
export function parseSpan(text: string): Span | null {
  const at = text.indexOf('-');
  if (at < 0) return null;
  const start = parseClock(text.slice(0, at));
  const end = parseClock(text.slice(at + 1));
  if (start === null || end === null || start === DAY) return null;
  // An end at 00:00 is drawn at midnight, the right edge.
  return { start, end: end === 0 ? DAY : end };
}

export function formatSpan(span: Span): string {
  return `${formatClock(span.start)}-${formatClock(span.end === 0 ? DAY : span.end)}`;
}

/** Minutes covered, 0 for a range that starts and ends at the same time. */
export function length(span: Span): number {
  return mod(span.end - span.start, DAY) || (span.end === span.start ? 0 : DAY);
}

/** The pieces to draw: one, or two when the range crosses midnight; none when empty. */
export function segments(span: Span): Segment[] {
  if (span.start === span.end) return [];
  if (span.end > span.start) {
    return [{ from: span.start, to: span.end, first: true, hasStart: true, hasEnd: true }];
  }
  return [
    { from: span.start, to: DAY, first: true, hasStart: true, hasEnd: false },
    { from: 0, to: span.end, first: false, hasStart: false, hasEnd: true },
  ];
}

export function snap(minutes: number): number {
  return Math.round(minutes / STEP) * STEP;
}

/** A horizontal pointer movement as minutes on a track `width` pixels wide. */
export function pixelsToMinutes(dx: number, width: number): number {
  return width > 0 ? (dx / width) * DAY : 0;
}

/** Minutes from midnight under the pointer at `x` pixels into the track. */
export function minutesAt(x: number, width: number): number {
  return Math.min(DAY, Math.max(0, snap(pixelsToMinutes(x, width))));
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

function endOf(start: number, len: number): number {
  return mod(start + len, DAY) || DAY;
}

/** The range moved by `delta` minutes, its start on the 15-minute grid, its length kept. */
export function move(span: Span, delta: number): Span {
  const len = length(span);
  if (len === DAY) return span; // the whole day has nowhere to go
  const start = mod(snap(span.start + delta), DAY);
  return { start, end: endOf(start, len) };
}

/** The start edge moved by `delta`, snapped; at least 15 minutes long, at most a day less 15. */
export function resizeStart(span: Span, delta: number): Span {
  const len = length(span);
  const wanted = len - (snap(span.start + delta) - span.start);
  const newLen = clamp(wanted, STEP, DAY - STEP);
  const start = mod(span.end - newLen, DAY);
  return { start, end: span.end === 0 ? DAY : span.end };
}

/** The end edge moved by `delta`, snapped; at least 15 minutes long, at most a day less 15. */
export function resizeEnd(span: Span, delta: number): Span {
  const len = length(span);
  const wanted = snap(span.start + len + delta) - span.start;
  const newLen = clamp(wanted, STEP, DAY - STEP);
  return { start: span.start, end: endOf(span.start, newLen) };
}

export type Drag = 'move' | 'start' | 'end';

/** What a drag of kind `drag`, `dx` pixels along a `width`-pixel track, makes of `span`. */
export function dragged(span: Span, drag: Drag, dx: number, width: number): Span {
  const delta = pixelsToMinutes(dx, width);
  switch (drag) {
    case 'move':
      return move(span, delta);
    case 'start':
      return resizeStart(span, delta);
    case 'end':
      return resizeEnd(span, delta);
  }
}

/** A new range for a day that has `existing` ranges: 09:00-17:00, or an hour after the last. */
export function newRange(existing: readonly string[]): string {
  const last = existing.map(parseSpan).filter((s): s is Span => s !== null).at(-1);
  if (!last) return '09:00-17:00';
  const start = mod(last.end, DAY);
  return formatSpan({ start, end: endOf(start, 60) });
}

/** Percent of the track for a minute, for CSS. */
export function percent(minutes: number): string {
  return `${(minutes / DAY) * 100}%`;
}
