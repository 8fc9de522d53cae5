/**
 * One cell of the unrolled graph at (t, layer, direction) for the walked example: its gates,
 * h_t and c_t, dL/dh_t and dL/dc_t as bar vectors with their norms; the cell's equations
 * (EquationsPanel); and the state update with the values of one chosen unit substituted,
 * e.g. for the LSTM c_t = f ⊙ c_{t-1} + i ⊙ g and h_t = o ⊙ tanh(c_t) (a gate the lectures'
 * ladder removes is the constant 1). With Jordan output feedback it also shows the value fed
 * back into h_t and the equation's W_hy y_{t-1} term. Every number is the walk's own.
 */
import { useState } from 'react';
import type { GraphNode } from '../../store/networkStore.ts';
import type { WalkView } from '../../train/walk.ts';
import { EquationsPanel } from '../equations/EquationsPanel.tsx';
import { BarVector } from './BarVector.tsx';
import { FedValue } from './FeedbackStep.tsx';
import { Num } from './Num.tsx';

/** Props of {@link CellInspector}. */
export interface CellInspectorProps {
  walk: WalkView;
  node: GraphNode;
  onClose: () => void;
}

/** Gates whose values lie in [0, 1] (sigmoids); the rest are signed. */
const UNIT_GATES = new Set(['i', 'f', 'o', 'r', 'z']);

/** The inspector under the graph. */
export function CellInspector({ walk, node, onClose }: CellInspectorProps) {
  const w = walk.walk;
  const H = w.hiddenSize;
  const G = w.gateNames.length;
  const d = w.dirs[node.layer * w.D + node.dir];
  const { t } = node;
  const [unit, setUnit] = useState(0);
  const j = Math.min(unit, H - 1);
  const prevT = node.dir === 0 ? t - 1 : t + 1;
  const hasPrev = prevT >= 0 && prevT < w.T;
  const vec = (buf: Float64Array | null, width = H) => (buf ? buf.subarray(t * width, (t + 1) * width) : null);
  const gate = (name: string) => {
    const k = w.gateNames.indexOf(name);
    return k < 0 ? null : d.gates[t * G * H + k * H + j];
  };
  // Before the first step: the state the walk started from (a decoder's hand-over), else zero.
  const prev = (buf: Float64Array | null, start: Float64Array[] | null | undefined) => (buf && hasPrev ? buf[prevT * H + j] : start ? start[node.layer * w.D + node.dir][j] : 0);
  const gates = vec(d.gates, G * H)!;
  const h = d.h[t * H + j];
  return (
    <section className="nv-inspector" aria-label={`Cell at t = ${t + 1}, layer ${node.layer + 1}`} data-testid="cell-inspector">
      <header className="nv-inspector-head">
        <strong>
          Cell t = {t + 1}, layer {node.layer + 1}
          {w.D === 2 ? (node.dir === 0 ? ', forward' : ', reverse') : ''}
        </strong>
        <span className="muted"> input: {walk.labels[t]}</span>
        <button type="button" onClick={onClose} title="Close the inspector" data-testid="inspector-close">
          Close
        </button>
      </header>
      <div className="nv-inspector-body">
        <div className="nv-inspector-vectors">
          {w.gateNames.map((name, k) => (
            <BarVector key={name} name={`${name}_t`} values={gates.subarray(k * H, (k + 1) * H)} kind={UNIT_GATES.has(name) ? 'unit' : 'signed'} testId={`insp-${name}`} />
          ))}
          {d.feedback && <FedValue fb={d.feedback} t={t} />}
          <BarVector name="h_t" values={vec(d.h)!} kind="signed" testId="insp-h" />
          {d.c && <BarVector name="c_t" values={vec(d.c)!} kind="signed" testId="insp-c" />}
          <BarVector name="dL/dh_t" values={vec(d.dh)!} kind="signed" testId="insp-dh" />
          {d.dc && <BarVector name="dL/dc_t" values={vec(d.dc)!} kind="signed" testId="insp-dc" />}
        </div>
        <div className="nv-inspector-unit">
          <label title="The unit whose values are substituted into the update">
            Unit{' '}
            <input type="number" min={0} max={H - 1} value={j} onChange={(e) => setUnit(Math.max(0, Math.floor(Number(e.target.value) || 0)))} data-testid="insp-unit" />
          </label>
          <Substituted walk={walk} gate={gate} prevH={prev(d.h, w.initial?.h)} prevC={prev(d.c, w.initial?.c)} h={h} c={d.c ? d.c[t * H + j] : null} />
          <EquationsPanel cell={w.cell} outputFeedback={d.feedback ?? undefined} />
        </div>
      </div>
    </section>
  );
}

/** Props of {@link Substituted}. */
interface SubstitutedProps {
  walk: WalkView;
  /** The unit's value of a gate, or null where the cell has no such gate. */
  gate: (name: string) => number | null;
  prevH: number;
  prevC: number;
  h: number;
  c: number | null;
}

/** The state update of one unit with its numbers. */
function Substituted({ walk, gate, prevH, prevC, h, c }: SubstitutedProps) {
  const cell = walk.walk.cell;
  if (cell === 'lstm' && c !== null) {
    const [i, f, g, o] = [gate('i') ?? 1, gate('f') ?? 1, gate('g')!, gate('o') ?? 1];
    return (
      <p className="nv-substituted" data-testid="insp-substituted">
        c_t = f·c_(t−1) + i·g = <Num value={f} /> · <Num value={prevC} /> + <Num value={i} /> · <Num value={g} /> = <Num value={f * prevC + i * g} testId="insp-sub-c" />
        <br />
        h_t = o·tanh(c_t) = <Num value={o} /> · tanh(<Num value={c} />) = <Num value={o * Math.tanh(c)} testId="insp-sub-h" />
      </p>
    );
  }
  if (cell === 'gru') {
    const [z, n] = [gate('z')!, gate('n')!];
    return (
      <p className="nv-substituted" data-testid="insp-substituted">
        h_t = (1 − z)·n + z·h_(t−1) = (1 − <Num value={z} />) · <Num value={n} /> + <Num value={z} /> · <Num value={prevH} /> = <Num value={(1 - z) * n + z * prevH} testId="insp-sub-h" />
      </p>
    );
  }
  const fb = walk.walk.dirs[0].feedback;
  return (
    <p className="nv-substituted" data-testid="insp-substituted">
      h_t = {cell === 'rnn_relu' ? 'relu' : 'tanh'}(W_ih x_t + b_ih{fb?.recurrent === false ? '' : ' + W_hh h_(t−1) + b_hh'}
      {fb ? ` + W_hy ${fb.teacherForcing ? 'y*' : 'y'}_(t−1)` : ''}) = <Num value={h} testId="insp-sub-h" />
      {fb?.recurrent === false ? '' : <> (h_(t−1) = <Num value={prevH} />)</>}
    </p>
  );
}
