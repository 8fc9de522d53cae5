/**
 * Step through backpropagation through time for one example (lecture 002, "BPTT"; 003, "BPTT
 * sums gradients over time"): the cursor walks the forward pass over the chosen layer and
 * direction (its gates, h_t, c_t), then the backward pass in reverse (the gradient arriving
 * from the output at t and from step t+1, their sum dL/dh_t, dL/dc_t, each gate's local
 * gradient δ, and what this step adds to dL/dW_hh and dL/dW_ih with the running totals).
 * With Jordan output feedback (FeedbackStep.tsx) it also shows the value fed back into h_t, the
 * gradient arriving through y_t fed into step t+1, and ΔW_hy.
 * Every number comes from a BpttWalk record (src/engine/bpttWalk.ts); keys ←/→, Home/End
 * move the cursor when the stepper has focus. Playing steps on a timer; with
 * prefers-reduced-motion nothing animates (theme.css), the cursor still steps.
 */
import { useState } from 'react';
import type { BpttWalk, WalkDirection } from '../../engine/bpttWalk.ts';
import { BarVector } from './BarVector.tsx';
import { FedValue, FeedbackArrival, FeedbackSumRow } from './FeedbackStep.tsx';
import { stepLabel, stepRow } from './format.ts';
import { MatrixHeatmap } from './MatrixHeatmap.tsx';
import { Num } from './Num.tsx';
import { StepperControls } from './StepperControls.tsx';
import { StepStrip } from './StepStrip.tsx';
import { useStepperCursor } from './useStepperCursor.ts';
import './network.css';

/** Props of {@link BpttStepper}. */
export interface BpttStepperProps {
  /** The record to walk. */
  walk: BpttWalk;
  /** Which (layer, direction) to show first: index layer * D + dir (default 0). */
  initialRow?: number;
  /** Cursor in [0, 2T): T forward positions then T backward; uncontrolled when absent. */
  cursor?: number;
  /** Called when the cursor moves. */
  onCursorChange?: (cursor: number) => void;
  /** Width of the strip, in pixels. */
  width?: number;
}

/** Where a cursor position falls: the pass, the step t and its index in that pass. */
export function cursorStep(w: WalkDirection, T: number, cursor: number): { phase: 'forward' | 'backward'; t: number; index: number } {
  if (cursor < T) return { phase: 'forward', t: w.backwardOrder[T - 1 - cursor], index: cursor };
  return { phase: 'backward', t: w.backwardOrder[cursor - T], index: cursor - T };
}

/** The step-through. */
export function BpttStepper({ walk, initialRow = 0, cursor: cursorProp, onCursorChange, width = 640 }: BpttStepperProps) {
  const { T, D } = walk;
  const count = 2 * T;
  const [chosenRow, setRow] = useState(initialRow);
  const row = Math.min(chosenRow, walk.dirs.length - 1); // a new walk may have fewer rows
  const { cursor, move, onKey, controls } = useStepperCursor(count, cursorProp, onCursorChange);
  const w = walk.dirs[row];
  if (!w || row < 0) throw new RangeError(`BpttStepper: the walk has no row ${chosenRow} (it has ${walk.dirs.length})`);

  const { phase, t, index } = cursorStep(w, T, cursor);
  const order = phase === 'forward' ? Array.from(w.backwardOrder).reverse() : Array.from(w.backwardOrder);
  const visited = new Set(order.slice(0, index + 1));
  const pickStep = (s: number) => move((phase === 'forward' ? 0 : T) + order.indexOf(s));
  const rowName = (i: number) => `layer ${Math.floor(i / D) + 1}${D === 2 ? (i % D === 0 ? ' forward' : ' reverse') : ''}`;

  return (
    <section className="nv-stepper" tabIndex={0} onKeyDown={onKey} data-testid="bptt-stepper" data-cursor={cursor} data-phase={phase} data-t={t} data-row={row} aria-label="Step through backpropagation through time">
      <header className="nv-stepper-head">
        <h3 data-testid="stepper-title">
          {phase === 'forward' ? 'Forward pass' : 'Backward pass (BPTT)'}: t = {stepLabel(t)}
          <span className="nv-muted">
            {' '}
            (step {index + 1} of {T})
          </span>
        </h3>
        {walk.dirs.length > 1 && (
          <label>
            {'show '}
            <select value={row} onChange={(e) => setRow(Number(e.target.value))} aria-label="Layer and direction">
              {walk.dirs.map((_, i) => (
                <option key={i} value={i}>
                  {rowName(i)}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="nv-muted">
          {walk.cell}
          {w.feedback ? ' with output feedback' : ''}, loss <Num value={walk.loss} testId="walk-loss" />
          {walk.window < T ? `, window k = ${walk.window}` : ', full BPTT'}
        </span>
      </header>
      <StepStrip T={T} dir={w.dir} window={walk.window} current={t} visited={visited} phase={phase} onPick={pickStep} width={width} />
      <StepperControls {...controls} />
      {phase === 'forward' ? <ForwardStep walk={walk} w={w} t={t} /> : <BackwardStep walk={walk} w={w} t={t} />}
    </section>
  );
}

/** Props of the two panels. */
export interface StepProps {
  walk: BpttWalk;
  w: WalkDirection;
  t: number;
  /** Names for what arrives, where the default ("from output y_t", "from step t+1") would mislead (the encoder-decoder's stepper). */
  arriving?: { fromOutput?: string; fromNext?: string };
}

/** Forward at t: the activated gates, h_t and c_t. */
export function ForwardStep({ walk, w, t }: StepProps) {
  const H = walk.hiddenSize;
  const G = walk.gateNames.length;
  const gates = stepRow(w.gates, t, G * H);
  const showGates = !(G === 1 && walk.gateNames[0] === 'h');
  return (
    <div className="nv-panel" data-testid="forward-panel">
      {showGates &&
        walk.gateNames.map((g, i) => (
          <BarVector key={g} name={`${g}_t`} values={gates.subarray(i * H, (i + 1) * H)} kind={g === 'g' || g === 'n' ? 'signed' : 'unit'} testId={`gate-norm-${g}`} />
        ))}
      {w.feedback && <FedValue fb={w.feedback} t={t} />}
      <BarVector name="h_t" values={stepRow(w.h, t, H)} kind="signed" testId="h-norm" />
      {w.c && <BarVector name="c_t" values={stepRow(w.c, t, H)} kind="signed" testId="c-norm" />}
    </div>
  );
}

/** Backward at t: what arrives, the local gradients, and what this step adds to the weights' gradients. */
export function BackwardStep({ walk, w, t, arriving }: StepProps) {
  const H = walk.hiddenSize;
  const G = walk.gateNames.length;
  const top = w.layer === walk.numLayers - 1;
  const next = w.dir === 0 ? 't+1' : 't-1';
  const cut = w.cut[t] === 1;
  const first = t === w.backwardOrder[0];
  const grads = stepRow(w.gateGrads, t, G * H);
  const m = w.matrices.find((x) => x.t === t);
  return (
    <div className="nv-panel" data-testid="backward-panel" data-cut={cut}>
      <BarVector name={arriving?.fromOutput ?? (top ? 'from output y_t' : 'from layer above')} values={stepRow(w.fromOutput, t, H)} kind="signed" testId="from-output-norm" />
      <BarVector name={arriving?.fromNext ?? `from step ${next}${w.feedback ? ' (W_hh)' : ''}`} values={stepRow(w.fromNext, t, H)} kind="signed" testId="from-next-norm" note={w.feedback?.recurrent === false ? 'no W_hh: a pure Jordan network' : cut ? '✂ cut by the window' : first && !arriving?.fromNext ? '(last step processed: nothing arrives)' : undefined} />
      {w.feedback && <FeedbackArrival fb={w.feedback} t={t} T={walk.T} cut={cut} />}
      <BarVector name="dL/dh_t" values={stepRow(w.dh, t, H)} kind="signed" testId="dh-norm" />
      {w.dcFromNext && <BarVector name={`dL/dc ${arriving?.fromNext ?? `from ${next}`}`} values={stepRow(w.dcFromNext, t, H)} kind="signed" testId="dc-from-next-norm" />}
      {w.dc && <BarVector name="dL/dc_t" values={stepRow(w.dc, t, H)} kind="signed" testId="dc-norm" />}
      {walk.gateNames.map((g, i) => (
        <BarVector key={g} name={`δ ${g} (dL/d pre-act.)`} values={grads.subarray(i * H, (i + 1) * H)} kind="signed" testId={`gate-grad-norm-${g}`} />
      ))}
      <table className="nv-sums">
        <thead>
          <tr>
            <th />
            <th>this step adds</th>
            <th>running total</th>
          </tr>
        </thead>
        <tbody>
          {(
            [
              ['Whh', '‖ΔW_hh‖ = ‖δ h_{t-1}ᵀ‖'],
              ['Wih', '‖ΔW_ih‖ = ‖δ x_tᵀ‖'],
              ['bhh', '‖Δb_hh‖'],
              ['bih', '‖Δb_ih‖'],
            ] as const
          )
            .filter(([key]) => w.feedback?.recurrent !== false || key === 'Wih' || key === 'bih')
            .map(([key, label]) => (
              <tr key={key}>
                <th>{label}</th>
                <td>
                  <Num value={w.contribution[key][t]} testId={`contrib-${key}`} />
                </td>
                <td>
                  <Num value={w.total[key][t]} testId={`total-${key}`} />
                </td>
              </tr>
            ))}
          {w.feedback && <FeedbackSumRow fb={w.feedback} t={t} />}
        </tbody>
      </table>
      {m && (
        <div className="nv-matrices">
          {m.dWhh.length > 0 && <MatrixHeatmap values={m.dWhh} rows={G * H} cols={H} label="ΔW_hh this step" />}
          {m.totalWhh.length > 0 && <MatrixHeatmap values={m.totalWhh} rows={G * H} cols={H} label="dL/dW_hh so far" />}
          <MatrixHeatmap values={m.dWih} rows={G * H} cols={w.inSize} label="ΔW_ih this step" />
          {m.dWhy && <MatrixHeatmap values={m.dWhy} rows={H} cols={m.dWhy.length / H} label="ΔW_hy this step" />}
        </div>
      )}
    </div>
  );
}
