/**
 * Gate activations over time for one layer and direction: a units × time heatmap per gate
 * (i, f, g, o for the LSTM; r, z, n for the GRU), plus h_t and c_t. Gates in [0, 1] use a
 * sequential scale (viridis, 0 to 1); signed values (g, n, h, c) a diverging one centred on 0.
 * Hover reads a value with its unit, step and input; clicking a unit pins it in every heatmap.
 */
import { useMemo, useState } from 'react';
import { magnitudeColor, maxAbsFinite, signedColor } from './colors.ts';
import { Heatmap } from './Heatmap.tsx';
import './network.css';

/** Props of {@link GateHeatmaps}. */
export interface GateHeatmapsProps {
  /** Gate names in row order (gateNames of the model); a vanilla RNN's single block "h" is h_t itself. */
  gateNames: readonly string[];
  /** Hidden size H and steps T. */
  H: number;
  T: number;
  /** (T, G·H) activated gates of the chosen layer and direction (a walk's or a trace's `gates`). */
  gates: Float64Array;
  /** (T, H) h_t. */
  h: Float64Array;
  /** (T, H) c_t (LSTM), or null. */
  c?: Float64Array | null;
  /** The input symbol at each step, shown on hover. */
  labels?: readonly string[];
  /** The pinned unit; uncontrolled when absent. */
  pinnedUnit?: number | null;
  /** Called when a unit is clicked (null: the pinned unit clicked again). */
  onPinUnit?: (unit: number | null) => void;
  /** Width available for one heatmap's cells, in pixels. */
  width?: number;
}

/** Gates whose values lie in [0, 1]. */
const UNIT_INTERVAL = new Set(['i', 'f', 'o', 'r', 'z']);

/** One heatmap per gate, then h and c. */
export function GateHeatmaps({ gateNames, H, T, gates, h, c, labels, pinnedUnit, onPinUnit, width = 600 }: GateHeatmapsProps) {
  const G = gateNames.length;
  if (gates.length !== T * G * H) throw new RangeError(`GateHeatmaps: gates has ${gates.length} values, expected T·G·H = ${T * G * H}`);
  if (h.length !== T * H) throw new RangeError(`GateHeatmaps: h has ${h.length} values, expected T·H = ${T * H}`);
  const [ownPin, setOwnPin] = useState<number | null>(null);
  const pinned = pinnedUnit === undefined ? ownPin : pinnedUnit;
  const pin = (j: number) => {
    const next = j === pinned ? null : j;
    setOwnPin(next);
    onPinUnit?.(next);
  };
  const maps = useMemo(() => {
    const list: { name: string; value: (t: number, j: number) => number; colorOf: (v: number) => string }[] = [];
    if (!(G === 1 && gateNames[0] === 'h'))
      gateNames.forEach((name, g) => {
        const value = (t: number, j: number) => gates[t * G * H + g * H + j];
        const colorOf = UNIT_INTERVAL.has(name) ? magnitudeColor(0, 1) : signedColor(maxAbsFinite(blockValues(value, T, H)));
        list.push({ name, value, colorOf });
      });
    for (const [name, buf] of [['h', h], ['c', c ?? null]] as const) {
      if (!buf) continue;
      list.push({ name, value: (t, j) => buf[t * H + j], colorOf: signedColor(maxAbsFinite(buf)) });
    }
    return list;
  }, [gateNames, G, H, T, gates, h, c]);
  const cellW = Math.max(1, Math.floor(width / T));
  const cellH = Math.max(1, Math.min(12, Math.floor(192 / H)));
  return (
    <div className="nv-heatmaps" data-testid="gate-heatmaps">
      <p className="nv-muted nv-hint">Hover for a value; click a unit to pin it in every map{pinned === null ? '' : ` (unit ${pinned} pinned)`}.</p>
      {maps.map((m) => (
        <Heatmap key={m.name} {...m} T={T} H={H} cellW={cellW} cellH={cellH} labels={labels} pinnedUnit={pinned} onPin={pin} />
      ))}
    </div>
  );
}

/** The T·H values of one gate block, for sizing its colour scale. */
function blockValues(value: (t: number, j: number) => number, T: number, H: number): Float64Array {
  const out = new Float64Array(T * H);
  for (let t = 0; t < T; t++) for (let j = 0; j < H; j++) out[t * H + j] = value(t, j);
  return out;
}
