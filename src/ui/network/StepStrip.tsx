/**
 * The stepper's mini unrolled strip: one cell per step of the chosen layer and direction, the
 * current one highlighted, the steps the current pass has visited shaded, and the window's cuts marked.
 */
import { cutBoundaries } from './graphLayout.ts';
import { stepLabel } from './format.ts';

/** Props of {@link StepStrip}. */
export interface StepStripProps {
  T: number;
  /** Direction (0 forward, 1 reverse), for where the cuts fall. */
  dir: number;
  /** Truncated BPTT window. */
  window: number;
  /** The current step t. */
  current: number;
  /** Steps visited in the current pass so far (current included). */
  visited: ReadonlySet<number>;
  /** `forward` or `backward` pass, for the colours. */
  phase: 'forward' | 'backward';
  /** Called with a clicked step t. */
  onPick: (t: number) => void;
  /** Width in pixels. */
  width?: number;
}

/** A row of T cells with arrows implied by order, cuts as red ticks. */
export function StepStrip({ T, dir, window: k, current, visited, phase, onPick, width = 640 }: StepStripProps) {
  const cw = width / T;
  const labelEvery = Math.ceil(24 / cw);
  return (
    <svg className={`nv-strip nv-${phase}`} width={width} height={40} data-testid="step-strip">
      {Array.from({ length: T }, (_, t) => (
        <g key={t} onClick={() => onPick(t)}>
          <rect
            className={`nv-strip-cell${visited.has(t) ? ' nv-visited' : ''}${t === current ? ' nv-current' : ''}`}
            x={t * cw + (cw > 4 ? 1 : 0)}
            y={4}
            width={Math.max(cw - (cw > 4 ? 2 : 0), 0.5)}
            height={18}
            data-testid={t === current ? 'strip-current' : undefined}
            data-t={t}
          />
          {t % labelEvery === 0 && (
            <text className="nv-axis" x={t * cw + cw / 2} y={36} textAnchor="middle">
              {stepLabel(t)}
            </text>
          )}
        </g>
      ))}
      {k < T && cutBoundaries(T, k, dir).map((b) => <line key={b} className="nv-strip-cut" x1={b * cw} x2={b * cw} y1={0} y2={26} />)}
    </svg>
  );
}
