/**
 * The page's handle on the training worker: each command is a method returning a promise
 * of the worker's answer; metrics arrive through `onMetrics`, batched, without the page
 * asking. The worker is a module worker Vite bundles from worker.ts.
 */
import type { ExampleTrace } from '../engine/backend.ts';
import type { OptimizerConfig } from '../engine/optimizer.ts';
import type { TrainerConfig } from './config.ts';
import type { InspectRequest, InspectView } from './inspect.ts';
import type { BackendChoice, Command, Reply, Request, Results, RunInfo } from './protocol.ts';
import type { TrainerSnapshot } from './snapshot.ts';
import type { MetricsBatch, ValidationPoint } from './Trainer.ts';
import type { AnyWalkView, WalkRequest } from './walk.ts';

/** The worker the client talks to (a real Worker, or a stand-in in tests). */
export type WorkerLike = Pick<Worker, 'postMessage' | 'terminate'> & { onmessage: ((event: MessageEvent<Reply>) => void) | null };

/** The training worker, bundled by Vite. */
export function createTrainingWorker(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'rnn-playground trainer' });
}

/** Where public/ is served, as an absolute URL: the app's base resolved against this page. */
function publicBase(): string {
  return new URL(import.meta.env.BASE_URL, globalThis.location.href).href;
}

/** Runs a Trainer in a worker. */
export class TrainerClient {
  /** Called with every metrics batch the worker posts, and whether it is still playing. */
  onMetrics: (metrics: MetricsBatch, playing: boolean) => void = () => {};
  /** Called when training stops on an error outside a command. */
  onError: (message: string) => void = () => {};
  /** Called when the GPU device was lost and training carried on from the copy at `step` (on a new device or the CPU). */
  onRecovered: (event: Extract<Reply, { type: 'recovered' }>) => void = () => {};
  /** Called when training paused on its own because a step's loss or gradient norm was not finite. */
  onDiverged: (event: Extract<Reply, { type: 'diverged' }>) => void = () => {};
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (result: never) => void; reject: (error: Error) => void }>();
  private config: TrainerConfig | null = null;

  constructor(private readonly worker: WorkerLike = createTrainingWorker()) {
    worker.onmessage = ({ data }) => this.receive(data);
  }

  /** Builds a run from a config (paused at step 0) and says which backend it got. */
  async init(config: TrainerConfig, backend: BackendChoice = 'auto', debugFaults = false): Promise<RunInfo> {
    const info = await this.send({ type: 'init', config, backend, filesBase: publicBase(), debugFaults });
    this.config = config;
    return info;
  }

  /** Trains at full speed until paused. */
  play(): Promise<null> {
    return this.send({ type: 'play' });
  }

  /** Stops training; resolves once the worker is idle and has posted its last metrics. */
  pause(): Promise<null> {
    return this.send({ type: 'pause' });
  }

  /** One training step (pauses first if playing). */
  step(): Promise<null> {
    return this.send({ type: 'step' });
  }

  /** Back to step 0 with the config in force. */
  reset(): Promise<null> {
    return this.send({ type: 'reset' });
  }

  /** Applies live settings; resolves to why a new run is needed (then nothing changed), or []. */
  async configure(config: TrainerConfig): Promise<string[]> {
    const reasons = await this.send({ type: 'configure', config });
    if (reasons.length === 0) this.config = config;
    return reasons;
  }

  /** Changes the optimizer's settings live (its kind needs a new run). */
  setOptimizer(optimizer: OptimizerConfig): Promise<string[]> {
    if (!this.config) throw new Error('no run yet: call init first');
    return this.configure({ ...this.config, training: { ...this.config.training, optimizer } });
  }

  /** One validation pass now. */
  evaluate(): Promise<ValidationPoint> {
    return this.send({ type: 'evaluate' });
  }

  /** The full record (gates, h, c, dL/dh_t, dL/dc_t) of validation example `index` at the current weights. */
  recordExample(index: number): Promise<ExampleTrace[]> {
    return this.send({ type: 'record', index });
  }

  /** What a task view shows at the current weights (computed on the CPU engine in the worker, on either backend). */
  inspect(request: InspectRequest): Promise<InspectView> {
    return this.send({ type: 'inspect', request });
  }

  /** One example's BPTT walk at the current weights with the run's window (computed on the CPU engine in the worker). */
  walk(request: WalkRequest): Promise<AnyWalkView> {
    return this.send({ type: 'walk', request });
  }

  /** A CPU-side copy of the run: weights, optimizer state, step index and the config in force (for saved sessions). */
  snapshot(): Promise<TrainerSnapshot> {
    return this.send({ type: 'snapshot' });
  }

  /** Carries the current run on from a copy of it (same task, seed, model, batch size and optimizer kind); paused after. */
  async restore(snapshot: TrainerSnapshot): Promise<null> {
    await this.send({ type: 'restore', snapshot });
    this.config = snapshot.config;
    return null;
  }

  /** Test only (init with debugFaults): destroys the worker's GPU device, as a lost GPU would. */
  debugLoseDevice(): Promise<null> {
    return this.send({ type: 'debugLoseDevice' });
  }

  /** Ends the worker; pending commands are rejected. */
  terminate(): void {
    this.worker.terminate();
    for (const { reject } of this.waiting.values()) reject(new Error('the training worker was terminated'));
    this.waiting.clear();
  }

  private send<C extends Command>(command: C): Promise<Results[C['type']]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (result: never) => void, reject });
      this.worker.postMessage({ ...command, id } satisfies Request);
    });
  }

  private receive(reply: Reply): void {
    if (reply.type === 'metrics') return this.onMetrics(reply.metrics, reply.playing);
    if (reply.type === 'error') return this.onError(reply.message);
    if (reply.type === 'recovered') return this.onRecovered(reply);
    if (reply.type === 'diverged') return this.onDiverged(reply);
    const waiter = this.waiting.get(reply.id);
    if (!waiter) return;
    this.waiting.delete(reply.id);
    if (reply.type === 'done') waiter.resolve(reply.result as never);
    else waiter.reject(new Error(reply.message));
  }
}
