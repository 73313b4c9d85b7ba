// @vitest-environment jsdom
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Settings } from '../src/lib/settings.svelte';

const file = () => ({
  form: {
    timezone: 'Europe/Paris',
    hours: { mon: ['09:00-18:00'] },
    work_apps: [{ name: 'Slack', app: 'slack', off_hours: 'hold' }],
    crisis: { pass: 'always', critical_urgency: true, keywords: [], senders: [] },
    release: { mode: 'digest' },
  },
  path: '/tmp/settings.toml',
  refused: null,
});

type Handler = (args: Record<string, unknown>) => unknown;
let sent: { cmd: string; args: Record<string, unknown> }[];
let handlers: Record<string, Handler>;

const sameEnds = (form: any): { key: string; message: string }[] => // eslint-disable-line @typescript-eslint/no-explicit-any
  Object.entries<string[]>(form.hours)
    .flatMap(([day, ranges]) => ranges.filter((r) => r.split('-')[0] === r.split('-')[1]).map((r) => ({ day, r })))
    .map(({ day, r }) => ({ key: `hours.${day}`, message: `${JSON.stringify(r)} starts and ends at the same time` }));

beforeEach(() => {
  sent = [];
  handlers = {
    get_settings: () => file(),
    validate_settings: ({ form }) => sameEnds(form),
    preview: () => ({ working: false, next_end: null, next_start: null, text: 'Next: back at work Mon 09:00', on_call: [] }),
    save_settings: () => null,
    add_work_app: ({ app }) => ({ ...file().form, work_apps: [...file().form.work_apps, { name: app, app, off_hours: 'hold' }] }),
  };
  mockIPC((cmd, args) => {
    sent.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    const handler = handlers[cmd];
    if (!handler) throw new Error(`no ${cmd}`);
    return handler((args ?? {}) as Record<string, unknown>);
  });
});

afterEach(() => clearMocks());

async function loaded() {
  const settings = new Settings(0);
  await settings.load();
  return settings;
}

describe('the draft', () => {
  test('a loaded form has no unsaved edits; an edit makes one; undo puts it back', async () => {
    const settings = await loaded();
    expect(settings.loaded).toBe(true);
    expect(settings.path).toBe('/tmp/settings.toml');
    expect(settings.dirty).toBe(false);
    settings.draft.hours.tue.push('09:00-18:00');
    expect(settings.dirty).toBe(true);
    settings.revert();
    expect(settings.dirty).toBe(false);
    expect(settings.draft.hours.tue).toEqual([]);
  });

  test('check asks the engine for errors and the preview of the draft', async () => {
    const settings = await loaded();
    settings.draft.hours.mon[0] = '09:00-09:00';
    await settings.check();
    expect(settings.errors).toEqual([{ key: 'hours.mon', message: '"09:00-09:00" starts and ends at the same time' }]);
    expect(settings.preview?.text).toBe('Next: back at work Mon 09:00');
    const asked = sent.find((c) => c.cmd === 'preview')?.args.form as { hours: { mon: string[] } };
    expect(asked.hours.mon).toEqual(['09:00-09:00']);
  });

  test('an answer about an older draft is dropped', async () => {
    const settings = await loaded();
    let release: (v: unknown) => void = () => {};
    handlers.validate_settings = () => new Promise((resolve) => (release = resolve));
    const older = settings.check();
    handlers.validate_settings = () => [];
    const newer = settings.check();
    await newer;
    release([{ key: 'timezone', message: 'stale' }]);
    await older;
    expect(settings.errors).toEqual([]);
  });

  test('a preview the engine refuses marks the preview stale', async () => {
    const settings = await loaded();
    handlers.preview = () => Promise.reject({ kind: 'invalid', fields: [{ key: 'timezone', message: 'unknown' }] });
    await settings.check();
    expect(settings.previewStale).toBe(true);
  });

  test('edited() asks the engine once the typing pauses', async () => {
    const settings = await loaded();
    settings.edited();
    settings.edited();
    settings.edited();
    await new Promise((r) => setTimeout(r, 20));
    expect(sent.filter((c) => c.cmd === 'validate_settings')).toHaveLength(1);
  });
});

describe('saving', () => {
  test('an invalid draft is not saved: the engine’s errors are shown instead', async () => {
    const settings = await loaded();
    settings.draft.hours.mon[0] = '18:00-18:00';
    expect(await settings.save()).toBe(false);
    expect(settings.saveState).toBe('invalid');
    expect(settings.errors[0]?.key).toBe('hours.mon');
    expect(sent.map((c) => c.cmd)).not.toContain('save_settings');
    expect(settings.dirty).toBe(true);
  });

  test('a valid draft is validated, then saved, and is no longer unsaved', async () => {
    const settings = await loaded();
    settings.draft.hours.mon[0] = '08:00-17:00';
    expect(await settings.save()).toBe(true);
    expect(sent.map((c) => c.cmd)).toEqual(['get_settings', 'validate_settings', 'save_settings']);
    expect(settings.saveState).toBe('saved');
    expect(settings.dirty).toBe(false);
  });

  test('a refusal from save_settings itself is shown on the fields', async () => {
    const settings = await loaded();
    handlers.save_settings = () => Promise.reject({ kind: 'invalid', fields: [{ key: 'timezone', message: 'no' }] });
    expect(await settings.save()).toBe(false);
    expect(settings.errors).toEqual([{ key: 'timezone', message: 'no' }]);
  });

  test('a failed write is said with its message', async () => {
    const settings = await loaded();
    handlers.save_settings = () => Promise.reject({ kind: 'io', message: 'read-only file system' });
    expect(await settings.save()).toBe(false);
    expect(settings.saveState).toBe('failed');
    expect(settings.saveMessage).toContain('read-only file system');
  });
});

describe('the file changing on disk', () => {
  const edited = () => ({ ...file(), form: { ...file().form, hours: { mon: ['08:00-16:00'] } } });

  test('without unsaved edits, the form follows the file', async () => {
    const settings = await loaded();
    settings.fileChanged(edited());
    expect(settings.draft.hours.mon).toEqual(['08:00-16:00']);
    expect(settings.pendingFile).toBeNull();
  });

  test('with unsaved edits, the file waits and the edits stay', async () => {
    const settings = await loaded();
    settings.draft.hours.tue.push('10:00-12:00');
    settings.fileChanged(edited());
    expect(settings.pendingFile).not.toBeNull();
    expect(settings.draft.hours.tue).toEqual(['10:00-12:00']);
    expect(settings.draft.hours.mon).toEqual(['09:00-18:00']);
    settings.takePendingFile();
    expect(settings.draft.hours.mon).toEqual(['08:00-16:00']);
    expect(settings.draft.hours.tue).toEqual([]);
  });

  test('keeping the edits compares them with the file from then on', async () => {
    const settings = await loaded();
    settings.draft.hours.tue.push('10:00-12:00');
    settings.fileChanged(edited());
    settings.keepEdits();
    expect(settings.pendingFile).toBeNull();
    expect(settings.dirty).toBe(true);
    expect(settings.saved.hours.mon).toEqual(['08:00-16:00']);
  });

  test('our own save coming back is taken quietly', async () => {
    const settings = await loaded();
    settings.draft.hours.tue.push('10:00-12:00');
    const mine = { ...file(), form: JSON.parse(JSON.stringify(settings.draft)) };
    settings.fileChanged(mine);
    expect(settings.pendingFile).toBeNull();
    expect(settings.dirty).toBe(false);
  });

  test('a refusal of a hand edit is kept for the window to say', async () => {
    const settings = await loaded();
    settings.fileChanged({ ...file(), refused: 'settings.toml:3: hours.mon: "9h" is not HH:MM-HH:MM' });
    expect(settings.refused).toContain('9h');
  });
});

describe('"This is work"', () => {
  test('without unsaved edits, the form becomes the engine’s new one', async () => {
    const settings = await loaded();
    await settings.addWorkApp('Signal');
    expect(sent.find((c) => c.cmd === 'add_work_app')?.args).toEqual({ app: 'Signal' });
    expect(settings.draft.work_apps.map((a) => a.name)).toEqual(['Slack', 'Signal']);
    expect(settings.dirty).toBe(false);
  });

  test('with unsaved edits, the new source is added and the edits are kept', async () => {
    const settings = await loaded();
    settings.draft.hours.tue.push('10:00-12:00');
    await settings.addWorkApp('Signal');
    expect(settings.draft.work_apps.map((a) => a.name)).toEqual(['Slack', 'Signal']);
    expect(settings.draft.hours.tue).toEqual(['10:00-12:00']);
    expect(settings.dirty).toBe(true);
  });
});

describe('"This is work" on a site', () => {
  test('the saved form gets the site and is saved after the engine validates it', async () => {
    const settings = await loaded();
    await settings.addWorkSite('Chromium', 'mail.example.org', 'Chromium (work sites)');
    const checked = sent.find((c) => c.cmd === 'validate_settings')?.args.form as { work_apps: unknown[] };
    const saved = sent.find((c) => c.cmd === 'save_settings')?.args.form as { work_apps: unknown[] };
    expect(saved).toEqual(checked);
    expect(saved.work_apps).toEqual([
      { name: 'Slack', app: 'slack', off_hours: 'hold' },
      { name: 'Chromium (work sites)', app: 'Chromium', sites: ['mail.example.org'], off_hours: 'hold' },
    ]);
    expect(settings.draft.work_apps[1]?.sites).toEqual(['mail.example.org']);
    expect(settings.dirty).toBe(false);
  });

  test('unsaved edits are kept and not saved with it', async () => {
    const settings = await loaded();
    settings.draft.hours.tue.push('10:00-12:00');
    await settings.addWorkSite('Chromium', 'mail.example.org', 'Chromium (work sites)');
    const saved = sent.find((c) => c.cmd === 'save_settings')?.args.form as { hours: Record<string, string[]> };
    expect(saved.hours.tue ?? []).toEqual([]);
    expect(settings.draft.hours.tue).toEqual(['10:00-12:00']);
    expect(settings.draft.work_apps.map((a) => a.sites)).toEqual([[], ['mail.example.org']]);
    expect(settings.dirty).toBe(true);
  });

  test('a refusal saves nothing', async () => {
    const settings = await loaded();
    handlers.validate_settings = () => [{ key: 'work_apps[2].sites', message: 'not a host' }];
    await expect(settings.addWorkSite('Chromium', 'bad', 'Chromium (work sites)')).rejects.toThrow('not a host');
    expect(sent.some((c) => c.cmd === 'save_settings')).toBe(false);
    expect(settings.draft.work_apps).toHaveLength(1);
  });
});
