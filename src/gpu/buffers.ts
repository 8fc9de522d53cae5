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
