// @vitest-environment jsdom
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import { afterEach, describe, expect, test } from 'vitest';
import { ipc, IpcError, on, type Form } from '../src/lib/ipc';

afterEach(() => clearMocks());

function record() {
  const sent: { cmd: string; args: unknown }[] = [];
  return { sent, handler: (cmd: string, args?: unknown) => void sent.push({ cmd, args }) };
}

describe('commands', () => {
  test('each wrapper calls its command with the contract’s argument names', async () => {
    const { sent, handler } = record();
    mockIPC((cmd, args) => {
      handler(cmd, args);
      return null;
    });
    const form = { timezone: 'UTC' } as unknown as Form;
    await ipc.status();
    await ipc.setMode('off', '2026-11-30T09:00:00+01:00');
    await ipc.setMode('auto');
    await ipc.setOnCall(true);
    await ipc.held();
    await ipc.release([3, 4], false);
    await ipc.dismiss(3);
    await ipc.seenApps();
    await ipc.getSettings();
    await ipc.validateSettings(form);
    await ipc.preview(form);
    await ipc.saveSettings(form);
    await ipc.addWorkApp('Signal');
    await ipc.diagnostics();
    await ipc.getAutostart();
    await ipc.setAutostart(false);
    await ipc.locale();
    expect(sent).toEqual([
      { cmd: 'status', args: {} },
      { cmd: 'set_mode', args: { mode: 'off', until: '2026-11-30T09:00:00+01:00' } },
      { cmd: 'set_mode', args: { mode: 'auto' } },
      { cmd: 'set_on_call', args: { on: true } },
      { cmd: 'held', args: {} },
      { cmd: 'release', args: { ids: [3, 4], all: false } },
      { cmd: 'dismiss', args: { id: 3 } },
      { cmd: 'seen_apps', args: {} },
      { cmd: 'get_settings', args: {} },
      { cmd: 'validate_settings', args: { form } },
      { cmd: 'preview', args: { form } },
      { cmd: 'save_settings', args: { form } },
      { cmd: 'add_work_app', args: { app: 'Signal' } },
      { cmd: 'diagnostics', args: {} },
      { cmd: 'get_autostart', args: {} },
      { cmd: 'set_autostart', args: { on: false } },
      { cmd: 'locale', args: {} },
    ]);
  });

  test('the report commands send the period, the month and the language', async () => {
    const { sent, handler } = record();
    mockIPC((cmd, args) => {
      handler(cmd, args);
      return null;
    });
    await ipc.weekReport();
    await ipc.statement();
    await ipc.statement('2026-11');
    await ipc.reportCsv('2026-11');
    await ipc.reportCsv('2026-11', 'fr');
    await ipc.reply();
    await ipc.reply('en');
    expect(sent).toEqual([
      { cmd: 'report', args: { period: 'week' } },
      { cmd: 'report', args: { period: 'month' } },
      { cmd: 'report', args: { period: 'month', month: '2026-11' } },
      { cmd: 'report_csv', args: { month: '2026-11' } },
      { cmd: 'report_csv', args: { month: '2026-11', lang: 'fr' } },
      { cmd: 'reply', args: {} },
      { cmd: 'reply', args: { lang: 'en' } },
    ]);
  });

  test('answers come back as they are', async () => {
    mockIPC((cmd) => (cmd === 'release' ? 2 : cmd === 'locale' ? 'fr' : null));
    await expect(ipc.release([], true)).resolves.toBe(2);
    await expect(ipc.locale()).resolves.toBe('fr');
  });

  test('a refused form is an IpcError with its fields', async () => {
    const fields = [{ key: 'hours.mon', message: '"18:00-18:00" starts and ends at the same time' }];
    mockIPC(() => Promise.reject({ kind: 'invalid', fields }));
    const error = await ipc.saveSettings({} as Form).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect((error as IpcError).error).toEqual({ kind: 'invalid', fields });
    expect((error as IpcError).fields).toEqual(fields);
  });

  test('store, io and refused errors keep their kind and message', async () => {
    for (const kind of ['store', 'io', 'refused'] as const) {
      mockIPC(() => Promise.reject({ kind, message: 'disk full' }));
      const error = (await ipc.held().catch((e: unknown) => e)) as IpcError;
      expect(error.error).toEqual({ kind, message: 'disk full' });
      expect(error.fields).toEqual([]);
      expect(error.message).toBe('held: disk full');
    }
  });

  test('anything else is an ipc error (no Tauri, a panic, a string)', async () => {
    mockIPC(() => Promise.reject('command locale not found'));
    const error = (await ipc.locale().catch((e: unknown) => e)) as IpcError;
    expect(error.error).toEqual({ kind: 'ipc', message: 'command locale not found' });
    clearMocks();
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__;
    const outside = (await ipc.status().catch((e: unknown) => e)) as IpcError;
    expect(outside).toBeInstanceOf(IpcError);
    expect(outside.error.kind).toBe('ipc');
  });
});

describe('events', () => {
  test('on() hands the payload to the handler and stops when asked', async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const seen: unknown[] = [];
    const stop = await on('show-tab', (tab) => seen.push(tab));
    await emit('show-tab', 'held');
    stop();
    await emit('show-tab', 'apps');
    expect(seen).toEqual(['held']);
  });
});
