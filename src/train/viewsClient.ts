/**
 * The training worker's side of the views worker (viewsWorker.ts): walks computed on their own
 * thread, so the training loop keeps stepping while a walk is worked out. Where a worker
 * cannot start another worker (`Worker` is not defined in its scope), the walk is computed
 * here instead, as before, and `threaded` says so.
 */
import type { TensorMap } from '../engine/tensor.ts';
import type { TrainerConfig } from './config.ts';
import type { ViewsReply, ViewsRequest } from './viewsWorker.ts';
import { walkExample, walkRun, type AnyWalkView, type WalkRequest } from './walk.ts';
import type { AnyRun } from './Trainer.ts';

/** Omit<ViewsRequest, 'id'> for each member of the union. */
type Unsent = ViewsRequest extends infer R ? (R extends ViewsRequest ? Omit<R, 'id'> : never) : never;

export class ViewsClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (view: AnyWalkView | null) => void; reject: (error: Error) => void }>();
  /** The run the views worker holds. */
  private sent: AnyRun | null = null;

  /** Whether walks run on their own thread. */
  get threaded(): boolean {
    return typeof Worker !== 'undefined';
  }

  /** The walk of `request` on `run` at `params` (taken at step `step`). */
  async walk(run: AnyRun, settings: TrainerConfig, params: TensorMap, request: WalkRequest, step: number): Promise<AnyWalkView> {
    if (!this.threaded) return walkExample(walkRun(run), settings, params, request, step);
    if (this.sent !== run) {
      // Messages are handled in order, so the walk below finds this run in place.
      void this.post({ kind: 'run', run: walkRun(run) });
      this.sent = run;
    }
    return (await this.post({ kind: 'walk', settings, params, request, step }))!;
  }

  /** Stops the views worker; a later walk starts a new one. */
  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.sent = null;
    for (const p of this.pending.values()) p.reject(new Error('the views worker was stopped'));
    this.pending.clear();
  }

  private post(message: Unsent): Promise<AnyWalkView | null> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, id } as ViewsRequest);
    });
  }

  private start(): Worker {
    const worker = new Worker(new URL('./viewsWorker.ts', import.meta.url), { type: 'module', name: 'rnn-playground views' });
    worker.onmessage = ({ data }: MessageEvent<ViewsReply>) => {
      const p = this.pending.get(data.id);
      if (!p) return;
      this.pending.delete(data.id);
      if (data.ok) p.resolve(data.view);
      else p.reject(new Error(data.message));
    };
    // A worker that fails to load or throws outside a message fails every walk waiting on it, by name.
    worker.onerror = (event) => {
      event.preventDefault();
      const error = new Error(`the views worker failed: ${event.message || 'it could not be loaded'}`);
      this.sent = null;
      this.worker = null;
      worker.terminate();
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
    return worker;
  }
}
