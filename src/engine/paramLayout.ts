/**
 * Where each parameter lives in one flat array holding them all (the GPU keeps
 * parameters, gradients and optimizer state as one buffer each, so a global norm is
 * one reduction and an update one dispatch). Every tensor starts at a multiple of
 * 64 elements (256 bytes, WebGPU's storage offset alignment); the gaps are zero.
 */
import { paramSpecs, type ModelConfig, type ParamSpec } from './model.ts';
import { shapeSize, type TensorMap } from './tensor.ts';

/** Elements per alignment unit: 256 bytes of float32. */
export const PARAM_ALIGN = 64;

/** One tensor's place in the flat array. */
export interface ParamSlot extends ParamSpec {
  /** First element (a multiple of PARAM_ALIGN). */
  offset: number;
  /** Elements the tensor holds. */
  size: number;
}

/** The flat layout of a model's parameters, in `state_dict` order. */
export interface ParamLayout {
  slots: ParamSlot[];
  /** Elements of the flat array, padding included (a multiple of PARAM_ALIGN). */
  total: number;
}

/** Lays out a model's parameters in one flat array. */
export function paramLayout(config: ModelConfig): ParamLayout {
  let offset = 0;
  const slots = paramSpecs(config).map((spec) => {
    const size = shapeSize(spec.shape);
    const slot = { ...spec, offset, size };
    offset += Math.ceil(size / PARAM_ALIGN) * PARAM_ALIGN;
    return slot;
  });
  return { slots, total: offset };
}

/** Packs named tensors into a flat Float32Array laid out by `layout`. */
export function packParams(layout: ParamLayout, tensors: TensorMap): Float32Array<ArrayBuffer> {
  const flat = new Float32Array(layout.total);
  for (const slot of layout.slots) flat.set(tensors.get(slot.name)!.data, slot.offset);
  return flat;
}

/** Unpacks a flat array into named float64 tensors. */
export function unpackParams(layout: ParamLayout, flat: ArrayLike<number>): TensorMap {
  const out: TensorMap = new Map();
  for (const slot of layout.slots) {
    const data = new Float64Array(slot.size);
    for (let i = 0; i < slot.size; i++) data[i] = flat[slot.offset + i];
    out.set(slot.name, { shape: [...slot.shape], data });
  }
  return out;
}
