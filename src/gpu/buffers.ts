/** Creating, filling and reading back float32 storage buffers, every one labelled. */

/** A storage buffer holding `data` (converted to float32), readable as a copy source. */
export function storageBuffer(device: GPUDevice, label: string, data: ArrayLike<number> | number): GPUBuffer {
  const length = typeof data === 'number' ? data : data.length;
  const buffer = device.createBuffer({
    label,
    size: Math.max(4, length * 4),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    mappedAtCreation: typeof data !== 'number',
  });
  if (typeof data !== 'number') {
    new Float32Array(buffer.getMappedRange()).set(data);
    buffer.unmap();
  }
  return buffer;
}

/** Copies a float32 buffer back to the CPU (a test and debugging path: it waits for the GPU). */
export async function readBuffer(device: GPUDevice, source: GPUBuffer): Promise<Float32Array> {
  const staging = device.createBuffer({
    label: `${source.label} readback`,
    size: source.size,
    usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ,
  });
  const encoder = device.createCommandEncoder({ label: `${source.label} readback` });
  encoder.copyBufferToBuffer(source, 0, staging, 0, source.size);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(staging.getMappedRange().slice(0));
  staging.unmap();
  staging.destroy();
  return out;
}

/**
 * Throws unless `elements` floats from element `at` fit in `buffer`: a bad offset would
 * otherwise read or write silently wrong numbers (WebGPU clamps out-of-bounds accesses).
 */
export function checkFits(owner: string, operand: string, buffer: GPUBuffer, at: number, elements: number): void {
  if (!Number.isInteger(at) || at < 0) throw new Error(`${owner}: offset of ${operand} is ${at}`);
  if ((at + elements) * 4 > buffer.size) {
    throw new Error(`${owner}: ${operand} needs ${elements} floats from element ${at}, buffer '${buffer.label}' holds ${buffer.size / 4}`);
  }
}

/**
 * For kernels that read their operands at element offsets: a uniform holding `offsets` as u32s
 * (the field order of the WGSL's `struct Offsets`) and a bind group of `buffers`, in binding
 * order, followed by that uniform. The caller keeps the uniform to free it.
 */
export function bindWithOffsets(
  device: GPUDevice,
  pipeline: GPUComputePipeline,
  label: string,
  buffers: GPUBuffer[],
  offsets: number[],
): { bindGroup: GPUBindGroup; uniform: GPUBuffer } {
  const uniform = device.createBuffer({
    label: `${label} offsets ${offsets.join(' ')}`,
    size: offsets.length * 4,
    usage: GPUBufferUsage.UNIFORM,
    mappedAtCreation: true,
  });
  new Uint32Array(uniform.getMappedRange()).set(offsets);
  uniform.unmap();
  const bindGroup = device.createBindGroup({
    label: `${label} bindings`,
    layout: pipeline.getBindGroupLayout(0),
    entries: [...buffers, uniform].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  return { bindGroup, uniform };
}
