/**
 * Where Chromium is, and the flags that give headless Chromium WebGPU on SwiftShader
 * (see shared/WEBGPU-HEADLESS.md). Shared by `grad --backend webgpu` and the browser test tiers.
 */
import { existsSync } from 'node:fs';

/** Path of the Chromium binary to drive: CHROMIUM_PATH, else the Debian default (read at call time). */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

/** Flags that keep headless Chromium off the (absent) network and quiet. */
export const baseArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** Flags that make WebGPU available on the SwiftShader software Vulkan driver. */
export const webgpuArgs = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
];

/** The Chromium path; throws a message saying how to install Chromium when it is missing. */
export function requireChromium(): string {
  const path = chromiumPath();
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}; install it (Debian/Ubuntu: apt-get install chromium) ` +
        'or set CHROMIUM_PATH to a Chromium or Chrome binary',
    );
  }
  return path;
}
