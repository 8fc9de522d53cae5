/** Chromium for the browser test tiers: the path and flags the `grad` CLI uses too (src/cli/chromium.ts). */
export { baseArgs, requireChromium, webgpuArgs } from '../src/cli/chromium.ts';
