/**
 * Keeps the network panel's BPTT walk fresh without asking per step: the walk of the chosen
 * example is requested when the panel opens, on demand (`refresh`), when training pauses or
 * takes a single step, when the example changes, and at most every WALK_MS while training
 * runs. Each answer also carries σ_max of every W_hh, kept over training in `sigma` (a
 * series per (layer, direction) that charts read directly, like the RunHistory). A new run
 * clears both.
 */
import type { AnyWalkView, WalkRequest } from '../train/walk.ts';
import type { NetworkStore } from './networkStore.ts';
import type { AppStore } from './store.ts';

/**
 * Milliseconds from one walk's answer to the next request while training runs. Counted from
 * the answer, not on a fixed clock: each walk pauses the worker's loop between two steps, and
 * a walk requested as soon as the last one returns would starve training (measured: 0 steps
 * per second on SwiftShader, where one walk waits about a step, ~2 s, for the GPU).
 */
export const WALK_MS = 2000;

/** σ_max of each W_hh over training: one series per (layer, direction), x = optimizer step. */
export class SigmaHistory {
  /** Per (layer, direction), at layer · D + dir. */
  readonly rows: { step: number[]; value: number[] }[] = [];
  private readonly listeners = new Set<() => void>();

  /** Row i's series (made empty if new; a chart may hold it before the first walk). */
  row(i: number): { step: number[]; value: number[] } {
    return (this.rows[i] ??= { step: [], value: [] });
  }

  /** Adds the values at `step` (ignored when not after the last step kept). */
  add(step: number, sigmaMax: readonly number[]): void {
    sigmaMax.forEach((v, i) => {
      const s = this.row(i);
      if (s.step.length && s.step[s.step.length - 1] >= step) return;
      s.step.push(step);
      s.value.push(v);
    });
    this.changed();
  }

  /** Forgets every value (a new run); the series objects stay, so charts holding them stay current. */
  clear(): void {
    for (const s of this.rows) {
      s.step.length = 0;
      s.value.length = 0;
    }
    this.changed();
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** The request for the panel's current choice: the typed text (character model) or the example. */
function requestOf(net: NetworkStore, taskId: string): WalkRequest {
  const { text, index } = net.getState();
  return taskId === 'char-model' && text.length > 0 ? { kind: 'text', text } : { kind: 'example', index };
}

/** Requests walks for the panel; one per panel, started when it mounts and disposed when it unmounts. */
export class WalkFeed {
  /** σ_max of each W_hh at every walk of this run. */
  readonly sigma = new SigmaHistory();
  private inFlight = false;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly app: AppStore,
    private readonly net: NetworkStore,
    private readonly fetchWalk: (request: WalkRequest) => Promise<AnyWalkView>,
  ) {}

  /** Starts listening (and walks once now); `dispose` stops. Safe to call again after `dispose`. */
  start(): void {
    if (this.unsubscribe.length) return;
    this.unsubscribe.push(
      this.app.subscribe((s, prev) => {
        if (s.history !== prev.history) {
          this.net.getState().setWalk(null);
          this.sigma.clear();
        }
        if (s.status !== prev.status) {
          if (s.status === 'playing') this.schedule();
          else this.stopTimer();
          if (s.status === 'paused') void this.refresh();
        } else if (s.status === 'paused' && s.step !== prev.step) {
          void this.refresh();
        }
      }),
      this.net.subscribe((s, prev) => {
        if (s.index !== prev.index || s.text !== prev.text) void this.refresh();
      }),
    );
    void this.refresh();
  }

  /** Asks for the chosen example's walk now (once more after the one in flight, if any). */
  async refresh(): Promise<void> {
    const s = this.app.getState();
    if (s.status !== 'paused' && s.status !== 'playing') return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    const history = s.history;
    try {
      const view = await this.fetchWalk(requestOf(this.net, s.config.task.id));
      if (this.app.getState().history !== history) return; // a new run began meanwhile
      this.sigma.add(view.step, view.sigmaMax);
      this.net.getState().setWalk(view);
    } catch (error) {
      if (this.app.getState().history === history) this.net.getState().setWalk(null, error instanceof Error ? error.message : String(error));
    } finally {
      this.inFlight = false;
      if (this.again) {
        // The example changed, or the run paused, while this walk was in flight.
        this.again = false;
        void this.refresh();
      } else if (this.unsubscribe.length && this.app.getState().status === 'playing') {
        this.schedule();
      }
    }
  }

  /** Stops listening and requesting. */
  dispose(): void {
    this.stopTimer();
    for (const u of this.unsubscribe) u();
    this.unsubscribe.length = 0;
  }

  /** The next walk WALK_MS from now (while training runs), unless one is already due. */
  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = null;
      if (this.app.getState().status === 'playing') void this.refresh();
    }, WALK_MS);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
