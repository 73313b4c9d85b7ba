// What the running gate says: its status, the held queue, the apps it has seen and the
// autostart switch, refreshed when Rust says the state changed.

import { ipc, type Held, type SeenApp, type Status } from './ipc';

export class Live {
  status = $state.raw<Status | null>(null);
  /** When the status was read: times are said from then ("Tue 09:00" the evening before).
   * Rust sends the status again at midnight, when "Tue 09:00" becomes "09:00". */
  now = $state.raw(new Date());
  statusError = $state<string | null>(null);
  held = $state.raw<Held[]>([]);
  seen = $state.raw<SeenApp[]>([]);
  autostart = $state<boolean | null>(null);
  /** The last action's failure, shown where the action was. */
  actionError = $state<string | null>(null);
  /** How many the last release let go. */
  released = $state<number | null>(null);

  async refresh(): Promise<void> {
    await Promise.all([this.refreshStatus(), this.refreshHeld(), this.refreshSeen(), this.refreshAutostart()]);
  }

  async refreshStatus(): Promise<void> {
    await this.#try(async () => {
      this.status = await ipc.diagnostics();
      this.now = new Date();
      this.statusError = null;
    }, (m) => (this.statusError = m));
  }

  async refreshHeld(): Promise<void> {
    await this.#try(async () => {
      this.held = await ipc.held();
    });
  }

  async refreshSeen(): Promise<void> {
    await this.#try(async () => {
      this.seen = await ipc.seenApps();
    });
  }

  async refreshAutostart(): Promise<void> {
    await this.#try(async () => {
      this.autostart = await ipc.getAutostart();
    });
  }

  /** Rust said the state changed. */
  statusChanged(status: Status): void {
    const heldChanged = this.status?.held !== status.held;
    this.status = status;
    this.now = new Date();
    this.statusError = null;
    if (heldChanged) void this.refreshHeld();
    void this.refreshSeen();
  }

  async release(ids: number[], all: boolean): Promise<void> {
    await this.#try(async () => {
      this.released = await ipc.release(ids, all);
      await this.refreshHeld();
    });
  }

  async dismiss(id: number): Promise<void> {
    await this.#try(async () => {
      await ipc.dismiss(id);
      await this.refreshHeld();
    });
  }

  async setAutostart(on: boolean): Promise<void> {
    await this.#try(async () => {
      this.autostart = await ipc.setAutostart(on);
    });
  }

  async retry(replace: boolean): Promise<void> {
    await this.#try(async () => {
      this.status = await ipc.retry(replace);
      this.now = new Date();
    });
  }

  async setOnCall(on: boolean): Promise<void> {
    await this.#try(async () => {
      this.status = await ipc.setOnCall(on);
      this.now = new Date();
    });
  }

  async #try(action: () => Promise<void>, failed?: (message: string) => void): Promise<void> {
    try {
      this.actionError = null;
      await action();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (failed) failed(message);
      else this.actionError = message;
    }
  }
}
