/**
 * One cell of the unrolled graph at (t, layer, direction) for the walked example: on top the
 * lectures' picture of the cell (CellDiagram) with one chosen unit's values or every vector's
 * norm; each equation of the cell with that unit's values substituted (SubstitutedEquations;
 * a gate the lectures' ladder removes is the constant 1); its gates, h_t and c_t, dL/dh_t and
 * dL/dc_t as bar vectors with their norms; and the cell's equations (EquationsPanel). With
 * Jordan output feedback it also shows the value fed back into h_t and the equation's
 * W_hy y_{t-1} term. Escape closes it. Every number is the walk's own.
 */
import { useState } from 'react';
import type { GraphNode } from '../../store/networkStore.ts';
import type { WalkView } from '../../train/walk.ts';
import { EquationsPanel } from '../equations/EquationsPanel.tsx';
import { BarVector } from './BarVector.tsx';
import { CellDiagram } from './CellDiagram.tsx';
import { FedValue } from './FeedbackStep.tsx';
import { Num } from './Num.tsx';
import { SubstitutedEquations } from './SubstitutedEquations.tsx';

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
  const [norms, setNorms] = useState(false);
  const j = Math.min(unit, H - 1);
  const prevT = node.dir === 0 ? t - 1 : t + 1;
  const hasPrev = prevT >= 0 && prevT < w.T;
  const vec = (buf: Float64Array | null, width = H) => (buf ? buf.subarray(t * width, (t + 1) * width) : null);
  // Before the first step: the state the walk started from (a decoder's hand-over), else zero.
  const prev = (buf: Float64Array | null, start: Float64Array[] | null | undefined) => (buf && hasPrev ? buf[prevT * H + j] : start ? start[node.layer * w.D + node.dir][j] : 0);
  const gates = vec(d.gates, G * H)!;
  const h = d.h[t * H + j];
  return (
    <section className="nv-inspector" aria-label={`Cell at t = ${t + 1}, layer ${node.layer + 1}`} data-testid="cell-inspector" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
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
      <div className="nv-inspector-pick" role="group" aria-label="Values shown in the diagram">
        <span className="nv-segmented">
          <button type="button" aria-pressed={!norms} onClick={() => setNorms(false)} data-testid="insp-pick-unit" title="One unit's values">
            Unit
          </button>
          <button type="button" aria-pressed={norms} onClick={() => setNorms(true)} data-testid="insp-pick-norm" title="The norm ‖·‖ of each vector">
            Norms ‖·‖
          </button>
        </span>
        <label title="The unit whose values the diagram and the equations show">
          unit{' '}
          <input type="number" min={0} max={H - 1} value={j} onChange={(e) => setUnit(Math.max(0, Math.floor(Number(e.target.value) || 0)))} data-testid="insp-unit" />
        </label>
      </div>
      <CellDiagram walk={w} at={node} pick={norms ? 'norm' : j} inputLabel={walk.labels[t]} />
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
          {w.cell === 'lstm' || w.cell === 'gru' ? <SubstitutedEquations walk={w} at={node} unit={j} /> : <Substituted walk={walk} prevH={prev(d.h, w.initial?.h)} h={h} />}
          <EquationsPanel cell={w.cell} outputFeedback={d.feedback ?? undefined} />
        </div>
      </div>
    </section>
  );
}

/** Props of {@link Substituted}. */
interface SubstitutedProps {
  walk: WalkView;
  prevH: number;
  h: number;
}

/** A vanilla RNN's update for one unit with its numbers (gated cells: SubstitutedEquations). */
function Substituted({ walk, prevH, h }: SubstitutedProps) {
  const cell = walk.walk.cell;
  const fb = walk.walk.dirs[0].feedback;
  return (
    <p className="nv-substituted" data-testid="insp-substituted">
      h_t = {cell === 'rnn_relu' ? 'relu' : 'tanh'}(W_ih x_t + b_ih{fb?.recurrent === false ? '' : ' + W_hh h_(t−1) + b_hh'}
      {fb ? ` + W_hy ${fb.teacherForcing ? 'y*' : 'y'}_(t−1)` : ''}) = <Num value={h} testId="insp-sub-h" />
      {fb?.recurrent === false ? '' : <> (h_(t−1) = <Num value={prevH} />)</>}
    </p>
  );
}
