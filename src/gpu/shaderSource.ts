/** WGSL sources, imported as text, and the one function that joins the shared helpers to a kernel. */
import common from '../../shaders/common.wgsl?raw';

/** A kernel's WGSL with shaders/common.wgsl in front of it. */
export function withCommon(kernel: string): string {
  return `${common}\n${kernel}`;
}
