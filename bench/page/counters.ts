/**
 * Counts GPU work the same way for every implementation in the page: the prototypes of
 * GPUComputePassEncoder.dispatchWorkgroups, GPUQueue.submit and GPUBuffer.mapAsync are
 * wrapped once, so whatever calls them (this engine or TensorFlow.js) is counted.
 */

/** Calls counted since the page loaded. */
export interface GpuCounts {
  dispatches: number;
  submits: number;
  /** mapAsync calls: readbacks to the CPU. */
  readbacks: number;
}

const counts: GpuCounts = { dispatches: 0, submits: 0, readbacks: 0 };
let installed = false;

/** Replaces `proto[name]` with a wrapper that counts each call in `counts[key]`. */
function countCalls(proto: object, name: string, key: keyof GpuCounts): void {
  const target = proto as Record<string, (...args: unknown[]) => unknown>;
  const original = target[name];
  target[name] = function (this: unknown, ...args: unknown[]) {
    counts[key]++;
    return original.apply(this, args);
  };
}

/** Wraps the three methods (once per page). */
export function installCounters(): void {
  if (installed || typeof GPUComputePassEncoder === 'undefined') return;
  installed = true;
  countCalls(GPUComputePassEncoder.prototype, 'dispatchWorkgroups', 'dispatches');
  countCalls(GPUQueue.prototype, 'submit', 'submits');
  countCalls(GPUBuffer.prototype, 'mapAsync', 'readbacks');
}

/** A copy of the counts now. */
export function gpuCounts(): GpuCounts {
  return { ...counts };
}

/** Counts between two snapshots. */
export function countsSince(before: GpuCounts): GpuCounts {
  return { dispatches: counts.dispatches - before.dispatches, submits: counts.submits - before.submits, readbacks: counts.readbacks - before.readbacks };
}
