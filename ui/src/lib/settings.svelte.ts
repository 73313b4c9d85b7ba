// The settings being edited: the draft the tabs bind to, the last saved form, and the
// engine's verdict on the draft (field errors and the preview), refreshed a moment after
// each edit. Saving asks the engine to validate first and saves nothing it refuses.

import { editable, sameForm, wire, withWorkSite } from './form';
import { ipc, IpcError, type FieldError, type Form, type Preview, type SettingsFile } from './ipc';

export type SaveState = 'idle' | 'saving' | 'saved' | 'invalid' | 'failed';

/** How long after the last keystroke the engine is asked about the draft. */
export const CHECK_DELAY_MS = 250;

export class Settings {
  /** What the tabs edit. */
  draft = $state<Form>(editable({}));
  /** The form as last loaded or saved. */
  saved = $state.raw<Form>(editable({}));
  loaded = $state(false);
  loadError = $state<string | null>(null);
  path = $state('');
  /** The last refusal of a hand edit of the file, while it stays refused. */
  refused = $state<string | null>(null);
  /** The engine's refusals of the draft, by field. */
  errors = $state.raw<FieldError[]>([]);
  preview = $state.raw<Preview | null>(null);
  /** The preview is for an earlier draft: the current one is refused. */
  previewStale = $state(false);
  /** A hand edit of the file that arrived while the draft had unsaved edits. */
  pendingFile = $state.raw<SettingsFile | null>(null);
  saveState = $state<SaveState>('idle');
  saveMessage = $state('');

  dirty = $derived(!sameForm($state.snapshot(this.draft) as Form, this.saved));

  #timer: ReturnType<typeof setTimeout> | undefined;
  #asked = 0;

  constructor(private readonly delay = CHECK_DELAY_MS) {}

  async load(): Promise<void> {
    try {
      this.take(await ipc.getSettings());
    } catch (e) {
      this.loadError = e instanceof Error ? e.message : String(e);
    }
  }

  /** Shows `file` as both the draft and the saved form. */
  take(file: SettingsFile): void {
    this.draft = editable(file.form);
    this.saved = editable(file.form);
    this.path = file.path;
    this.refused = file.refused;
    this.pendingFile = null;
    this.errors = [];
    this.loaded = true;
    this.loadError = null;
  }

  /** Called after every edit of the draft: asks the engine once the typing pauses. */
  edited(): void {
    // "Saved" or "not saved" was about the draft before this edit.
    if (this.dirty && this.saveState !== 'saving') this.saveState = 'idle';
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.check(), this.delay);
  }

  /** Validates and previews the current draft; answers to an older draft are dropped. */
  async check(): Promise<void> {
    clearTimeout(this.#timer);
    const asked = ++this.#asked;
    const form = wire($state.snapshot(this.draft) as Form);
    const [errors, preview] = await Promise.allSettled([ipc.validateSettings(form), ipc.preview(form)]);
    if (asked !== this.#asked) return;
    if (errors.status === 'fulfilled') this.errors = errors.value;
    else if (errors.reason instanceof IpcError && errors.reason.fields.length) this.errors = errors.reason.fields;
    if (preview.status === 'fulfilled') {
      this.preview = preview.value;
      this.previewStale = false;
    } else {
      this.previewStale = true;
    }
  }

  /** Validates the draft with the engine, then saves it; nothing is saved while refused. */
  async save(): Promise<boolean> {
    clearTimeout(this.#timer);
    const form = wire($state.snapshot(this.draft) as Form);
    this.saveState = 'saving';
    this.saveMessage = '';
    try {
      const errors = await ipc.validateSettings(form);
      this.errors = errors;
      if (errors.length) {
        this.saveState = 'invalid';
        return false;
      }
      await ipc.saveSettings(form);
      this.saved = editable(form);
      this.saveState = 'saved';
      this.pendingFile = null;
      return true;
    } catch (e) {
      if (e instanceof IpcError && e.fields.length) {
        this.errors = e.fields;
        this.saveState = 'invalid';
      } else {
        this.saveState = 'failed';
        this.saveMessage = e instanceof Error ? e.message : String(e);
      }
      return false;
    }
  }

  /** Puts the draft back to the saved form. */
  revert(): void {
    this.draft = editable(this.saved);
    this.saveState = 'idle';
  }

  /** The file changed on disk (a hand edit, or our own save coming back). */
  fileChanged(file: SettingsFile): void {
    this.refused = file.refused;
    this.path = file.path;
    if (!this.dirty || sameForm(file.form, $state.snapshot(this.draft) as Form)) {
      this.take(file);
      this.refused = file.refused;
    } else {
      this.pendingFile = file;
    }
  }

  /** Replaces the unsaved edits with the file's version. */
  takePendingFile(): void {
    if (this.pendingFile) this.take(this.pendingFile);
  }

  /** Keeps the unsaved edits; saving them will overwrite the file. */
  keepEdits(): void {
    if (this.pendingFile) this.saved = editable(this.pendingFile.form);
    this.pendingFile = null;
  }

  /** "This is work": the engine adds and saves the source; unsaved edits are kept. */
  async addWorkApp(app: string): Promise<void> {
    const form = await ipc.addWorkApp(app);
    if (!this.dirty) {
      this.take({ form, path: this.path, refused: this.refused });
      return;
    }
    const added = editable(form).work_apps.at(-1);
    if (added) this.draft.work_apps.push(added);
    this.saved = editable(form);
  }

  /**
   * After the engine added or removed the work source `app` itself (a work browser
   * profile): the file is read again; unsaved edits are kept, with that source added to
   * or taken from them as well.
   */
  async sourceChanged(app: string): Promise<void> {
    const file = await ipc.getSettings();
    if (!this.dirty) {
      this.take(file);
      return;
    }
    const fresh = editable(file.form);
    const same = (a: { app: string }) => a.app.toLowerCase() === app.toLowerCase();
    const source = fresh.work_apps.find(same);
    const kept = this.draft.work_apps.filter((a) => !same(a));
    this.draft.work_apps = source ? [...kept, source] : kept;
    this.saved = fresh;
  }

  /**
   * "This is work" on a site a browser named: the saved form gets the site (see
   * `withWorkSite`) and is saved as any form is, validated first; unsaved edits are kept.
   */
  async addWorkSite(app: string, site: string, name: string): Promise<void> {
    const form = wire(withWorkSite(editable(this.saved), app, site, name));
    const errors = await ipc.validateSettings(form);
    if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
    const dirty = this.dirty;
    await ipc.saveSettings(form);
    if (!dirty) this.draft = editable(form);
    else this.draft = editable(withWorkSite($state.snapshot(this.draft) as Form, app, site, name));
    this.saved = editable(form);
  }
}
