import { describe, expect, test } from 'vitest';
import {
  DAY,
  dragged,
  formatClock,
  formatSpan,
  length,
  minutesAt,
  move,
  newRange,
  parseClock,
  parseSpan,
  pixelsToMinutes,
  resizeEnd,
  resizeStart,
  segments,
  snap,
} from '../src/lib/ranges';

const span = (text: string) => {
  const s = parseSpan(text);
  if (!s) throw new Error(`not a span: ${text}`);
  return s;
};

describe('where a range is drawn', () => {
  test('clock texts are minutes from midnight, 24:00 included', () => {
    expect(parseClock('09:30')).toBe(570);
    expect(parseClock('9:05')).toBe(545);
    expect(parseClock('24:00')).toBe(DAY);
    expect(parseClock('24:15')).toBeNull();
    expect(parseClock('9h')).toBeNull();
    expect(formatClock(570)).toBe('09:30');
    expect(formatClock(DAY)).toBe('24:00');
  });

  test('a day range is one segment', () => {
    expect(segments(span('09:00-18:00'))).toEqual([{ from: 540, to: 1080, first: true, hasStart: true, hasEnd: true }]);
  });

  test('a range whose end is before its start wraps: two segments, the start in the first', () => {
    expect(segments(span('22:00-06:00'))).toEqual([
      { from: 1320, to: DAY, first: true, hasStart: true, hasEnd: false },
      { from: 0, to: 360, first: false, hasStart: false, hasEnd: true },
    ]);
  });

  test('an end at 00:00 is midnight, the right edge, not a wrap', () => {
    expect(segments(span('22:00-00:00'))).toEqual([{ from: 1320, to: DAY, first: true, hasStart: true, hasEnd: true }]);
    expect(length(span('22:00-00:00'))).toBe(120);
  });

  test('equal ends and bad text are not drawn (the engine says why)', () => {
    expect(segments(span('09:00-09:00'))).toEqual([]);
    expect(parseSpan('9h-18h')).toBeNull();
    expect(parseSpan('24:00-02:00')).toBeNull();
    expect(parseSpan('0900')).toBeNull();
  });

  test('lengths count across midnight', () => {
    expect(length(span('22:00-06:00'))).toBe(480);
    expect(length(span('00:00-24:00'))).toBe(DAY);
    expect(length(span('10:00-10:00'))).toBe(0);
  });
});

describe('drag math', () => {
  test('pixels become minutes along the track, snapped to 15', () => {
    expect(pixelsToMinutes(100, 960)).toBe(150);
    expect(pixelsToMinutes(10, 0)).toBe(0);
    expect(snap(7)).toBe(0);
    expect(snap(8)).toBe(15);
    expect(snap(-8)).toBe(-15);
    expect(minutesAt(-50, 960)).toBe(0);
    expect(minutesAt(2000, 960)).toBe(DAY);
  });

  test('moving keeps the length and snaps the start', () => {
    expect(formatSpan(move(span('09:00-18:00'), 65))).toBe('10:00-19:00');
    expect(formatSpan(move(span('09:05-10:05'), 15))).toBe('09:15-10:15');
    expect(formatSpan(move(span('09:00-18:00'), -7))).toBe('09:00-18:00');
  });

  test('moving past midnight wraps the range', () => {
    expect(formatSpan(move(span('20:00-23:00'), 120))).toBe('22:00-01:00');
    expect(formatSpan(move(span('22:00-24:00'), 120))).toBe('00:00-02:00');
    expect(formatSpan(move(span('01:00-03:00'), -120))).toBe('23:00-01:00');
    expect(formatSpan(move(span('22:00-01:00'), -60))).toBe('21:00-24:00');
  });

  test('a whole day does not move', () => {
    expect(formatSpan(move(span('00:00-24:00'), 60))).toBe('00:00-24:00');
  });

  test('resizing the end snaps it, wraps it past midnight, and keeps 15 minutes at least', () => {
    expect(formatSpan(resizeEnd(span('09:00-18:00'), 35))).toBe('09:00-18:30');
    expect(formatSpan(resizeEnd(span('20:00-23:00'), 180))).toBe('20:00-02:00');
    expect(formatSpan(resizeEnd(span('09:00-10:00'), -120))).toBe('09:00-09:15');
    expect(formatSpan(resizeEnd(span('09:00-18:00'), 2000))).toBe('09:00-08:45');
  });

  test('resizing the start snaps it, keeps the end, and keeps 15 minutes at least', () => {
    expect(formatSpan(resizeStart(span('09:00-18:00'), -60))).toBe('08:00-18:00');
    expect(formatSpan(resizeStart(span('09:00-18:00'), 600))).toBe('17:45-18:00');
    expect(formatSpan(resizeStart(span('01:00-06:00'), -120))).toBe('23:00-06:00');
    expect(formatSpan(resizeStart(span('22:00-06:00'), 60))).toBe('23:00-06:00');
  });

  test('a drag on a 960-pixel track: 40 px is an hour', () => {
    const nine = span('09:00-17:00');
    expect(formatSpan(dragged(nine, 'move', 40, 960))).toBe('10:00-18:00');
    expect(formatSpan(dragged(nine, 'end', -20, 960))).toBe('09:00-16:30');
    expect(formatSpan(dragged(nine, 'start', -42, 960))).toBe('08:00-17:00');
  });

  test('a new range follows the last one, or is office hours', () => {
    expect(newRange([])).toBe('09:00-17:00');
    expect(newRange(['09:00-12:00'])).toBe('12:00-13:00');
    expect(newRange(['20:00-24:00'])).toBe('00:00-01:00');
    expect(newRange(['nonsense'])).toBe('09:00-17:00');
  });
});
