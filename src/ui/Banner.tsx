/**
 * Banners for the faults the page survives: a lost GPU (training resumed from a copy), diverging
 * training (paused at finite weights, with where to look), and no WebGPU (the CPU trains, and
 * which browsers have WebGPU). Text only; each can be closed.
 */
import { useState } from 'react';
import { useFaultStore } from '../store/session.ts';
import { selectInfo } from '../store/selectors.ts';
import { useStore } from '../store/store.ts';

/** Where WebGPU ships, for the no-WebGPU banner. */
export const WEBGPU_BROWSERS = 'Chrome and Edge 113 or later (Windows, macOS, ChromeOS; Android from 121), Safari 26, and Firefox 141 or later on Windows';

/** Scrolls to an element of the page and focuses it, if it is there. */
function goTo(selector: string): void {
  const el = document.querySelector<HTMLElement>(selector);
  el?.scrollIntoView({ block: 'center' });
  el?.focus();
}

/** The latest fault notice (lost GPU or divergence); nothing when there is none. */
export function FaultBanner() {
  const notice = useFaultStore((s) => s.notice);
  const dismiss = useFaultStore((s) => s.dismiss);
  if (!notice) return null;
  const diverged = notice.kind === 'diverged';
  return (
    <div className="error-banner" role={diverged ? 'alert' : 'status'} data-testid={`fault-${notice.kind}`} data-step={notice.step}>
      <b>{diverged ? 'Training diverged.' : 'The GPU was lost.'}</b> {notice.message}{' '}
      {diverged && (
        <>
          <button type="button" onClick={() => goTo('[data-testid="network-views"]')} title="The network views: the Gradients tab shows ‖dL/dh_t‖ over t, the Clipping tab ‖g‖ before and after clipping">
            Gradient views
          </button>{' '}
          <button type="button" onClick={() => goTo('#clipping')} title="Gradient clipping in the Training settings">
            Clipping setting
          </button>{' '}
        </>
      )}
      <button type="button" onClick={dismiss} title="Close this notice" aria-label="Close the notice" data-testid="dismiss-fault">
        ×
      </button>
    </div>
  );
}

/** When WebGPU could not be used (and the CPU was not chosen): why, and which browsers have it. */
export function NoWebGpuBanner() {
  const info = useStore(selectInfo);
  const choice = useStore((s) => s.backendChoice);
  const recovered = useFaultStore((s) => s.notice?.kind === 'recovered');
  const [closedFor, setClosedFor] = useState<string | null>(null);
  const reason = info?.backend === 'cpu' && choice === 'auto' ? info.cpuReason : undefined;
  // After a lost GPU the fault banner already says why the CPU trains.
  if (!reason || closedFor === reason || recovered) return null;
  return (
    <div className="error-banner" role="status" data-testid="no-webgpu">
      <b>Training on the CPU:</b> WebGPU could not be used ({reason}). Everything works on the CPU, only slower. WebGPU is in {WEBGPU_BROWSERS}.{' '}
      <button type="button" onClick={() => setClosedFor(reason)} title="Close this notice" aria-label="Close the notice">
        ×
      </button>
    </div>
  );
}
