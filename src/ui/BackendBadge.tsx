/** The header badge that names the compute backend the playground found. */
import { Suspense, use, type ReactNode } from 'react';
import type { BackendInfo } from '../gpu/backend.ts';

/** Props of {@link BackendBadge}. */
export interface BackendBadgeProps {
  /** Detection result; the badge says "Detecting" until it settles. */
  backend: Promise<BackendInfo>;
}

/** Badge reading "WebGPU - <adapter>" or "CPU - WebGPU unavailable: <reason>". */
export function BackendBadge({ backend }: BackendBadgeProps) {
  return (
    <Suspense fallback={<Badge state="pending">Detecting compute backend…</Badge>}>
      <ResolvedBadge backend={backend} />
    </Suspense>
  );
}

/** The badge once detection has settled (suspends until then). */
function ResolvedBadge({ backend }: BackendBadgeProps) {
  const info = use(backend);
  if (info.kind === 'webgpu') {
    return (
      <Badge state="webgpu">
        <b>WebGPU</b> - {info.name}
      </Badge>
    );
  }
  return (
    <Badge state="cpu">
      <b>CPU</b> - WebGPU unavailable<span className="badge-reason">: {info.reason}</span>
    </Badge>
  );
}

/** Props of the badge's frame. */
interface BadgeProps {
  /** Which backend was found, or "pending" while detecting; drives the colour and `data-state`. */
  state: 'pending' | BackendInfo['kind'];
  /** The badge's text. */
  children: ReactNode;
}

/** The pill itself: a status dot and the text. */
function Badge({ state, children }: BadgeProps) {
  return (
    <p className={`badge badge-${state}`} data-testid="backend" data-state={state} role="status">
      <span className="badge-dot" aria-hidden="true" />
      <span>{children}</span>
    </p>
  );
}
