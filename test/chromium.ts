/** Where the tests find Chromium, and the flags that give it WebGPU on SwiftShader (see shared/WEBGPU-HEADLESS.md). */
import { existsSync } from 'node:fs';

/** Path of the Chromium binary the tests drive; CHROMIUM_PATH overrides the Debian default. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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

/** Throws a message saying how to install Chromium when it is missing. */
export function requireChromium(): string {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}. Install it (Debian/Ubuntu: apt-get install chromium) ` +
        'or set CHROMIUM_PATH to a Chromium/Chrome binary.',
    );
  }
  return chromiumPath;
}
