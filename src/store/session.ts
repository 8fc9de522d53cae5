/**
 * The session: the page's one training worker (through TrainerClient) and the store, kept
 * in step. UI actions become worker commands: a run is built on start and whenever a
 * reset finds settings that need one (or the task or backend changes), live settings go to
 * the worker as they are edited, and every failure lands in the run slice as a message.
 * Metrics batches are appended to the run's history as they arrive; the top bar's numbers
 * are copied from it at most a few times a second.
 */
import { create } from 'zustand';
import type { TrainerConfig } from '../train/config.ts';
import type { InspectRequest, InspectView } from '../train/inspect.ts';
import type { BackendChoice } from '../train/protocol.ts';
import type { TrainerSnapshot } from '../train/snapshot.ts';
import type { TrainerClient } from '../train/TrainerClient.ts';
import type { AnyWalkView, WalkRequest } from '../train/walk.ts';
import { pendingPaths, withLiveSettings } from './pending.ts';
import type { AppStore } from './store.ts';

/** A fault the run survived (a lost GPU, diverging training), for a banner until dismissed. */
export interface FaultNotice {
  kind: 'recovered' | 'diverged';
  /** The step the run resumed or paused at. */
  step: number;
  message: string;
}

/** The latest fault notice, and how to close it. */
export interface FaultState {
  notice: FaultNotice | null;
  dismiss(): void;
}

/** The banner's store: session.ts writes it as the worker reports faults. */
export const useFaultStore = create<FaultState>()((set) => ({
  notice: null,
  dismiss: () => set({ notice: null }),
}));

/** Least milliseconds between copies of the latest numbers into the store. */
export const NUMBERS_MS = 250;

/** The message of anything thrown. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Drives one TrainerClient from the store. */
export class Session {
  /** The pause under way, while the worker stops. */
  private pausing: Promise<void> | null = null;
  private numbersTimer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped by every run that is built, so a late answer for an older run is ignored. */
  private generation = 0;
  private readonly unsubscribe: () => void;

  constructor(
    readonly store: AppStore,
    private readonly client: TrainerClient,
  ) {
    // The status follows the commands, not the batches' `playing` flag: a view's request pauses the loop for a moment between steps.
    client.onMetrics = (metrics) => {
      this.store.getState().history.append(metrics);
      this.scheduleNumbers();
    };
    client.onError = (message) => this.store.getState().fail(`Training stopped: ${message}`);
    client.onRecovered = ({ step, backend, name, message }) => {
      useFaultStore.setState({ notice: { kind: 'recovered', step, message } });
      const { info, setInfo } = this.store.getState();
      if (info) setInfo({ ...info, backend, name, cpuReason: backend === 'cpu' ? message : undefined });
    };
    client.onDiverged = ({ step, message }) => {
      useFaultStore.setState({ notice: { kind: 'diverged', step, message } });
      if (this.store.getState().status === 'playing') this.store.getState().setStatus('paused');
      this.flushNumbers();
    };
    this.unsubscribe = store.subscribe((s, prev) => {
      if (s.config !== prev.config) void this.applyLive();
    });
  }

  /** Builds the first run from the store's config. */
  start(): Promise<void> {
    return this.rebuild();
  }

  /** Trains until paused. */
  async play(): Promise<void> {
    const s = this.store.getState();
    if (s.status !== 'paused') return;
    s.setStatus('playing');
    await this.command(() => this.client.play());
  }

  /** Stops training. The status turns to paused once the worker has stopped (on SwiftShader that can take a few seconds). */
  pause(): Promise<void> {
    if (this.pausing) return this.pausing;
    if (this.store.getState().status !== 'playing') return Promise.resolve();
    this.pausing = (async () => {
      await this.command(() => this.client.pause());
      if (this.store.getState().status === 'playing') this.store.getState().setStatus('paused');
      this.flushNumbers();
    })().finally(() => (this.pausing = null));
    return this.pausing;
  }

  /**
   * Play or pause, whichever applies. A press while a pause is on its way means play once it has stopped (the button
   * still reads Pause until then; read as another pause, it was sent twice and the press to play again was lost).
   */
  togglePlay(): Promise<void> {
    if (this.pausing) return this.pausing.then(() => this.play());
    return this.store.getState().status === 'playing' ? this.pause() : this.play();
  }

  /** One training step (pausing first). */
  async step(): Promise<void> {
    const status = this.store.getState().status;
    if (status !== 'paused' && status !== 'playing') return;
    this.store.getState().setStatus('paused');
    await this.command(() => this.client.step());
    this.flushNumbers();
  }

  /** Back to step 0: a new run when settings wait for one (or after an error), else the same run from its start. */
  async reset(): Promise<void> {
    const s = this.store.getState();
    if (s.status === 'initialising') return;
    if (s.status === 'error' || pendingPaths(s.applied, s.config).length > 0 || !s.applied) return this.rebuild();
    const previous = s.applied;
    s.setStatus('paused');
    await this.command(() => this.client.reset());
    this.store.getState().newHistory(previous, previous);
  }

  /** Picks a task with its defaults and builds its run at once. */
  async pickTask(id: string): Promise<void> {
    this.store.getState().setTask(id);
    await this.rebuild();
  }

  /** Switches between WebGPU and the CPU; the run is rebuilt on the new backend. */
  async setBackend(choice: BackendChoice): Promise<void> {
    this.store.getState().setBackendChoice(choice);
    await this.rebuild();
  }

  /** What a task view shows at the current weights. */
  inspect(request: InspectRequest): Promise<InspectView> {
    return this.client.inspect(request);
  }

  /** One example's BPTT walk at the current weights (the network panel asks on demand, never per step). */
  walk(request: WalkRequest): Promise<AnyWalkView> {
    return this.client.walk(request);
  }

  /** A CPU-side copy of the run (weights, optimizer state, step index), for saved sessions. */
  snapshot(): Promise<TrainerSnapshot> {
    return this.client.snapshot();
  }

  /** Carries the run on from a copy of it (a saved session of the same settings). */
  async restore(snapshot: TrainerSnapshot): Promise<void> {
    await this.client.restore(snapshot);
  }

  /** Stops listening and ends the worker. */
  dispose(): void {
    this.unsubscribe();
    if (this.numbersTimer) clearTimeout(this.numbersTimer);
    this.client.terminate();
  }

  /** Builds a new run from the edited config on the chosen backend. */
  private async rebuild(): Promise<void> {
    const s = this.store.getState();
    const config: TrainerConfig = s.config;
    const previous = s.applied;
    const before = s.status;
    const generation = ++this.generation;
    s.setStatus('initialising');
    try {
      const info = await this.client.init(config, s.backendChoice);
      if (generation !== this.generation) return;
      const now = this.store.getState();
      now.newHistory(previous, config);
      now.setInfo(info);
      now.setApplied(config);
      now.setStatus('paused');
      useFaultStore.getState().dismiss();
      // Settings edited while the run was being built.
      await this.applyLive();
    } catch (error) {
      if (generation !== this.generation) return;
      // The worker keeps the previous run when a new one cannot be built (e.g. too big for the GPU):
      // for the same task it stays in use, with the message shown, and plays on if it was playing.
      const kept = previous !== null && previous.task.id === config.task.id && (before === 'paused' || before === 'playing');
      if (kept) this.store.setState({ status: before, error: messageOf(error) });
      else this.store.getState().fail(messageOf(error));
    }
  }

  /** Sends the edited live settings to the run, if they differ from what it has. */
  private async applyLive(): Promise<void> {
    const s = this.store.getState();
    if (!s.applied || (s.status !== 'paused' && s.status !== 'playing')) return;
    const next = withLiveSettings(s.applied, s.config);
    if (JSON.stringify(next) === JSON.stringify(s.applied)) return;
    const generation = this.generation;
    try {
      const reasons = await this.client.configure(next);
      if (generation !== this.generation) return;
      if (reasons.length) throw new Error(`the run refused live settings: ${reasons.join('; ')}`);
      this.store.getState().setApplied(next);
    } catch (error) {
      this.store.getState().fail(messageOf(error));
    }
  }

  /** Runs a command, recording a failure as the run's error. */
  private async command(run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.store.getState().fail(messageOf(error));
    }
  }

  /** Copies the latest numbers into the store within NUMBERS_MS. */
  private scheduleNumbers(): void {
    if (this.numbersTimer) return;
    this.numbersTimer = setTimeout(() => this.flushNumbers(), NUMBERS_MS);
  }

  /** Copies the latest numbers from the history into the store now. */
  private flushNumbers(): void {
    if (this.numbersTimer) clearTimeout(this.numbersTimer);
    this.numbersTimer = null;
    const { history, setNumbers } = this.store.getState();
    const last = (values: number[]) => (values.length ? values[values.length - 1] : null);
    setNumbers({
      step: history.stepsSubmitted,
      trainLoss: last(history.trainLoss.value),
      validationLoss: last(history.validationLoss.value),
      validationMetric: last(history.validationMetric.value),
      stepsPerSecond: history.stepsSubmitted > 0 ? history.stepsPerSecond : 0,
    });
  }
}
