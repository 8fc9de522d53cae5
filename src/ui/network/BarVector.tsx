/** A vector as a row of small bars (one per unit) with its name and norm: how the step-through shows gates, states and gradients. */
import { maxAbsFinite } from './colors.ts';
import { formatNumber, vectorNorm } from './format.ts';
import { Num } from './Num.tsx';

/** Props of {@link BarVector}. */
export interface BarVectorProps {
  /** What the vector is, e.g. "f_t" or "dL/dh_t". */
  name: string;
  /** The values, one per unit. */
  values: Float64Array;
  /** `unit`: values in [0, 1] drawn up from a baseline; `signed`: up or down from zero, scaled to the largest |v|. */
  kind: 'unit' | 'signed';
  /** data-testid of the norm (data-value carries it in full). */
  testId: string;
  /** A note after the norm, e.g. "cut by the window". */
  note?: string;
}

const W = 180;
const H = 28;

/** Name, bars and ‖v‖ in one row. */
export function BarVector({ name, values, kind, testId, note }: BarVectorProps) {
  const n = values.length;
  const bw = W / Math.max(n, 1);
  const scale = kind === 'unit' ? 1 : maxAbsFinite(values) || 1;
  const mid = kind === 'unit' ? H : H / 2;
  const span = kind === 'unit' ? H : H / 2;
  return (
    <div className="nv-bar-row">
      <span className="nv-bar-name">{name}</span>
      <svg width={W} height={H} className="nv-bars" aria-hidden="true">
        <line className="nv-bars-zero" x1={0} x2={W} y1={mid} y2={mid} />
        {Array.from(values, (v, j) => {
          const len = (Math.min(1, Math.abs(v) / scale) || 0) * span;
          return (
            <rect key={j} className={v < 0 ? 'nv-bar-neg' : 'nv-bar-pos'} x={j * bw + (bw > 3 ? 0.5 : 0)} width={Math.max(bw - (bw > 3 ? 1 : 0), 0.5)} y={v < 0 ? mid : mid - len} height={len}>
              <title>{`unit ${j}: ${formatNumber(v)}`}</title>
            </rect>
          );
        })}
      </svg>
      <span className="nv-bar-norm">
        ‖·‖ = <Num value={vectorNorm(values)} testId={testId} />
        {note && <span className="nv-note"> {note}</span>}
      </span>
    </div>
  );
}
