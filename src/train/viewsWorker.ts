/**
 * The views worker: computes the network views' walks (walk.ts: the BPTT walk, σ_max of each
 * W_hh, the reach table) on a thread of its own, started by the training worker. A walk at
 * the headline size (LSTM 128, T = 64) costs 100-200 ms of CPU; computed in the training
 * worker it held up the training loop that long every time the views asked (issue 7's
 * "training slows by at most 10%"). Here it runs beside training, which then only hands over
 * its CPU copy of the weights.
 *
 * Messages: `run` (the walkable part of the current run, once per run), then `walk` requests;
 * each answered with the view or the error's message, by id.
 */
import type { TensorMap } from '../engine/tensor.ts';
import type { TrainerConfig } from './config.ts';
import { walkExample, type AnyWalkView, type WalkRequest, type WalkRun } from './walk.ts';

/** What the training worker sends. */
export type ViewsRequest =
  | { id: number; kind: 'run'; run: WalkRun }
  | { id: number; kind: 'walk'; settings: TrainerConfig; params: TensorMap; request: WalkRequest; step: number };

/** What the views worker answers. */
export type ViewsReply = { id: number; ok: true; view: AnyWalkView | null } | { id: number; ok: false; message: string };

const scope = self as unknown as { postMessage(message: ViewsReply): void; onmessage: ((event: MessageEvent<ViewsRequest>) => void) | null };

let run: WalkRun | null = null;

scope.onmessage = ({ data: message }) => {
  try {
    if (message.kind === 'run') {
      run = message.run;
      scope.postMessage({ id: message.id, ok: true, view: null });
      return;
    }
    if (!run) throw new Error('the views worker has no run to walk');
    const view = walkExample(run, message.settings, message.params, message.request, message.step);
    scope.postMessage({ id: message.id, ok: true, view });
  } catch (error) {
    scope.postMessage({ id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
};
