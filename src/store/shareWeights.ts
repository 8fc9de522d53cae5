/**
 * Weights in and out of the page's run: the checkpoint JSON (src/engine/checkpoint.ts),
 * `model.safetensors` for PyTorch (src/engine/safetensors.ts), and weights in a link
 * (src/share/weightsLink.ts). The weights come out of the worker as a snapshot of the run
 * and go back in as the same snapshot with new weights (the optimizer state and step are
 * kept). Everything read is validated in full before the run is touched: a bad file or link
 * gets a message naming the problem and the current model stays as it was.
 */
import { FormatError, parseCheckpoint, serializeCheckpoint } from '../engine/checkpoint.ts';
import type { ModelConfig } from '../engine/model.ts';
import { fromSafetensors, toSafetensors } from '../engine/safetensors.ts';
import type { TensorMap } from '../engine/tensor.ts';
import { sameData } from '../share/schema.ts';
import { withWeights } from '../share/weightsLink.ts';
import { taskById } from '../tasks/index.ts';
import { firstNonFinite } from '../train/snapshot.ts';
import { pageHash } from './share.ts';
import type { Session } from './session.ts';
import type { AppStore } from './store.ts';

/** Largest weights file read (bytes); a larger one is refused before reading. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** A weights file or link that cannot be loaded; the message is for the user. */
export class WeightsFileError extends Error {
  override name = 'WeightsFileError';
}

/** The run's model config, or an error saying why its weights cannot be read or written. */
function runModel(store: AppStore): ModelConfig {
  const { info, status, applied } = store.getState();
  if (!info || !applied || (status !== 'paused' && status !== 'playing')) throw new WeightsFileError('No run is built yet: wait for it (or fix the error shown), then try again.');
  if (taskById(applied.task.id).kind === 'encoder-decoder') throw new WeightsFileError('The encoder-decoder’s weights (two networks) cannot be saved or loaded yet.');
  return info.model;
}

/** The run's model and current weights (copied out of the worker between steps). */
export async function currentWeights(store: AppStore, session: Session): Promise<{ config: ModelConfig; params: TensorMap }> {
  const config = runModel(store);
  const { params } = await session.snapshot();
  return { config, params };
}

/** The run's checkpoint JSON, as a file's contents. */
export async function checkpointFile(store: AppStore, session: Session): Promise<Blob> {
  const { config, params } = await currentWeights(store, session);
  return new Blob([JSON.stringify(serializeCheckpoint(config, params))], { type: 'application/json' });
}

/** The run's `model.safetensors`; throws (with the reason) for models PyTorch does not have. */
export async function safetensorsFile(store: AppStore, session: Session): Promise<Blob> {
  const { config, params } = await currentWeights(store, session);
  return new Blob([toSafetensors(config, params)], { type: 'application/octet-stream' });
}

/** `a` and `b` name the same tensors with the same shapes; else the first difference, in words. */
function shapeProblem(a: TensorMap, b: TensorMap): string | null {
  for (const [name, t] of b) {
    const mine = a.get(name);
    if (!mine) return `it has a tensor ${name} this model does not have`;
    if (mine.shape.join(',') !== t.shape.join(',')) return `${name} has shape [${t.shape.join(', ')}]; this model's is [${mine.shape.join(', ')}]`;
  }
  for (const name of a.keys()) if (!b.has(name)) return `it has no tensor ${name}`;
  return null;
}

/** The message of a parse failure, naming the file. */
function problemOf(error: unknown): string {
  if (error instanceof FormatError || error instanceof SyntaxError || error instanceof Error) return error.message;
  return String(error);
}

/**
 * The weights a file holds, for the run's model: checkpoint JSON (`.json`) or safetensors
 * (`.safetensors`). Throws WeightsFileError naming the problem: too big, not JSON, a bad
 * field, another model, a shape that differs, a value that is not finite.
 */
export async function readWeightsFile(file: File, config: ModelConfig, current: TensorMap): Promise<TensorMap> {
  if (file.size > MAX_UPLOAD_BYTES) throw new WeightsFileError(`${file.name} is ${file.size.toLocaleString('en-US')} bytes; weights files over ${MAX_UPLOAD_BYTES.toLocaleString('en-US')} bytes are not read.`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  let params: TensorMap;
  try {
    if (/\.safetensors$/i.test(file.name)) params = fromSafetensors(bytes, config);
    else {
      const parsed = parseCheckpoint(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
      if (!sameData(parsed.config, config)) throw new WeightsFileError(`${file.name} is a checkpoint of another model (${describeModel(parsed.config)}); this run's model is ${describeModel(config)}.`);
      params = parsed.params;
    }
  } catch (error) {
    if (error instanceof WeightsFileError) throw error;
    throw new WeightsFileError(`${file.name} cannot be loaded: ${problemOf(error)}.`);
  }
  const shape = shapeProblem(current, params);
  if (shape) throw new WeightsFileError(`${file.name} does not fit this model: ${shape}.`);
  const bad = firstNonFinite(params);
  if (bad) throw new WeightsFileError(`${file.name} cannot be loaded: ${bad} is not a finite number.`);
  return params;
}

/** A model in a few words. */
function describeModel(c: ModelConfig): string {
  return `${c.cell} ${c.numLayers}×${c.hiddenSize}${c.bidirectional ? ' bidirectional' : ''}, inputs ${c.inputSize}, outputs ${c.outputSize}`;
}

/** Puts `params` into the run (its optimizer state and step kept). */
export async function setWeights(session: Session, params: TensorMap): Promise<void> {
  const snapshot = await session.snapshot();
  await session.restore({ ...snapshot, params });
}

/** Loads a weights file into the run after validating it; throws WeightsFileError (the run untouched) when it does not fit. */
export async function loadWeightsFile(store: AppStore, session: Session, file: File): Promise<void> {
  const config = runModel(store);
  const { params: current } = await session.snapshot();
  await setWeights(session, await readWeightsFile(file, config, current));
}

/** The page's link with the run's weights in it; throws (WeightsLinkError: the 32 KB refusal) when they do not fit. */
export async function linkWithWeights(store: AppStore, session: Session): Promise<string> {
  const link = pageHash(store.getState());
  if ('problem' in link) throw new WeightsFileError(link.problem);
  const { config, params } = await currentWeights(store, session);
  return withWeights(link.hash, config, params, `${location.origin}${location.pathname}${location.search}`);
}
