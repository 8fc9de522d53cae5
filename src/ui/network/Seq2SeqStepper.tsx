/**
 * Step through one example of the encoder-decoder: the encoder's forward pass (t = 1..S), the
 * decoder's (u = 1..U, from the hand-over), then backpropagation through the decoder (u = U..1)
 * and on through the hand-over into the encoder (t = S..1). Each position shows the chosen
 * layer's cell with BpttStepper's panels; at the hand-over, the state crossing forward and the
 * gradient dL/dh_S (and dL/dc_S) crossing back. Every number is the Seq2SeqWalk's own.
 */
import { useState } from 'react';
import type { Seq2SeqWalk } from '../../engine/seq2seqWalk.ts';
import { BarVector } from './BarVector.tsx';
import { BackwardStep, ForwardStep } from './BpttStepper.tsx';
import { formatNumber, stepLabel } from './format.ts';
import { Num } from './Num.tsx';
import type { Seq2SeqLabels, Seq2SeqPart } from './Seq2SeqGraph.tsx';
import { StepperControls } from './StepperControls.tsx';
import { StepStrip } from './StepStrip.tsx';
import { useStepperCursor } from './useStepperCursor.ts';
import './network.css';
import './seq2seq.css';

/** Props of {@link Seq2SeqStepper}. */
export interface Seq2SeqStepperProps {
  walk: Seq2SeqWalk;
  labels: Seq2SeqLabels;
  /** The layer shown first (default 0). */
  initialLayer?: number;
  /** Cursor in [0, 2(S + U)); uncontrolled when absent. */
  cursor?: number;
  /** Called when the cursor moves. */
  onCursorChange?: (cursor: number) => void;
  /** Width of the two strips together, in pixels. */
  width?: number;
}

/** Where a cursor falls: encoder forward, decoder forward, decoder backward, encoder backward; the step and its index in that pass. */
export function seq2seqCursorStep(S: number, U: number, cursor: number): { part: Seq2SeqPart; phase: 'forward' | 'backward'; t: number; index: number } {
  if (cursor < S) return { part: 'encoder', phase: 'forward', t: cursor, index: cursor };
  if (cursor < S + U) return { part: 'decoder', phase: 'forward', t: cursor - S, index: cursor - S };
  if (cursor < S + 2 * U) return { part: 'decoder', phase: 'backward', t: S + 2 * U - 1 - cursor, index: cursor - S - U };
  return { part: 'encoder', phase: 'backward', t: 2 * S + 2 * U - 1 - cursor, index: cursor - S - 2 * U };
}

/** The encoder-decoder's step-through. */
export function Seq2SeqStepper({ walk, labels, initialLayer = 0, cursor: cursorProp, onCursorChange, width = 640 }: Seq2SeqStepperProps) {
  const S = walk.encoder.T;
  const U = walk.decoder.T;
  const L = walk.encoder.numLayers;
  const count = 2 * (S + U);
  const [chosen, setLayer] = useState(initialLayer);
  const layer = Math.max(0, Math.min(chosen, L - 1));
  const { cursor, move, onKey, controls } = useStepperCursor(count, cursorProp, onCursorChange);

  const { part, phase, t, index } = seq2seqCursorStep(S, U, cursor);
  // Cursor of step s of a part in the current pass (forward: encoder then decoder; backward: decoder then encoder).
  const cursorOf = (p: Seq2SeqPart, s: number) =>
    phase === 'forward' ? (p === 'encoder' ? s : S + s) : p === 'decoder' ? S + 2 * U - 1 - s : 2 * S + 2 * U - 1 - s;
  const visitedOf = (p: Seq2SeqPart, T: number) => new Set(Array.from({ length: T }, (_, s) => s).filter((s) => cursorOf(p, s) <= cursor));
  const pw = (width - 70) / (S + U);
  const bw = part === 'encoder' ? walk.encoder : walk.decoder;
  const w = bw.dirs[layer];
  const stepName = part === 'encoder' ? 't' : 'u';

  return (
    <section className="nv-stepper" tabIndex={0} onKeyDown={onKey} data-testid="seq2seq-stepper" data-cursor={cursor} data-part={part} data-phase={phase} data-t={t} data-layer={layer} aria-label="Step through the encoder-decoder forward and back">
      <header className="nv-stepper-head">
        <h3 data-testid="stepper-title">
          {part === 'encoder' ? 'Encoder' : 'Decoder'}, {phase === 'forward' ? 'forward pass' : 'backward pass (BPTT)'}: {stepName} = {stepLabel(t)}
          <span className="nv-muted">
            {' '}
            (step {index + 1} of {part === 'encoder' ? S : U})
          </span>
        </h3>
        {L > 1 && (
          <label>
            {'show '}
            <select value={layer} onChange={(e) => setLayer(Number(e.target.value))} aria-label="Layer">
              {Array.from({ length: L }, (_, l) => (
                <option key={l} value={l}>
                  layer {l + 1}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="nv-muted">
          {walk.encoder.cell}, loss <Num value={walk.loss} testId="walk-loss" />, teacher forcing r = {formatNumber(walk.teacherForcing.ratio)}
        </span>
      </header>
      <div className="nv-s2s-strips">
        <div>
          <div className="nv-s2s-strip-name">encoder</div>
          <StepStrip T={S} dir={0} window={S} current={part === 'encoder' ? t : -1} visited={visitedOf('encoder', S)} phase={phase} onPick={(s) => move(cursorOf('encoder', s))} width={pw * S} />
        </div>
        <span className="nv-s2s-arrow">{phase === 'forward' ? `h_${S} →` : `← dL/dh_${S}`}</span>
        <div>
          <div className="nv-s2s-strip-name">decoder</div>
          <StepStrip T={U} dir={0} window={U} current={part === 'decoder' ? t : -1} visited={visitedOf('decoder', U)} phase={phase} onPick={(s) => move(cursorOf('decoder', s))} width={pw * U} />
        </div>
      </div>
      <StepperControls {...controls} />
      <Reads walk={walk} labels={labels} part={part} t={t} phase={phase} top={layer === L - 1} />
      {part === 'decoder' && t === 0 && <HandOver walk={walk} layer={layer} direction={phase} />}
      {phase === 'forward' ? (
        <ForwardStep walk={bw} w={w} t={t} />
      ) : (
        <BackwardStep
          walk={bw}
          w={w}
          t={t}
          arriving={part === 'encoder' ? { fromOutput: layer === L - 1 ? 'no output (encoder)' : undefined, fromNext: t === S - 1 ? 'from the decoder (hand-over)' : undefined } : undefined}
        />
      )}
      {phase === 'forward' && part === 'encoder' && t === S - 1 && <HandOver walk={walk} layer={layer} direction="forward" />}
    </section>
  );
}

/** Props of {@link Reads}. */
interface ReadsProps {
  walk: Seq2SeqWalk;
  labels: Seq2SeqLabels;
  part: Seq2SeqPart;
  t: number;
  phase: 'forward' | 'backward';
  /** Whether the chosen layer is the top one (the decoder's output is read from it). */
  top: boolean;
}

/** What the step reads, and for the decoder's top layer what it writes. */
function Reads({ walk, labels, part, t, phase, top }: ReadsProps) {
  if (part === 'encoder') {
    return (
      <p className="nv-s2s-reads" data-testid="stepper-reads">
        reads x_{stepLabel(t)} = <strong>{labels.source[t]}</strong>
        {t >= walk.sourceLength ? ' (padding)' : ''}
      </p>
    );
  }
  const source = walk.inputSource[t];
  const from = source === 'start' ? 'the start symbol' : source === 'target' ? `the target y*_${stepLabel(t - 1)}: teacher forced` : `its own output ŷ_${stepLabel(t - 1)}`;
  return (
    <p className="nv-s2s-reads" data-testid="stepper-reads" data-source={source}>
      reads <strong className={`nv-s2s-in-${source}`}>{labels.decoderInputs[t]}</strong> ({from})
      {top && phase === 'forward' && (
        <>
          {'; writes ŷ = '}
          <strong>{labels.predictions[t]}</strong> (target y* = {labels.targets[t]})
        </>
      )}
    </p>
  );
}

/** Props of {@link HandOver}. */
interface HandOverProps {
  walk: Seq2SeqWalk;
  layer: number;
  /** `forward`: the state crossing to the decoder; `backward`: the gradient crossing to the encoder. */
  direction: 'forward' | 'backward';
}

/** The hand-over of one layer: the encoder's h_S (c_S) forward, or dL/dh_S (dL/dc_S) sent back. */
function HandOver({ walk, layer, direction }: HandOverProps) {
  const S = `_${stepLabel(walk.encoder.T - 1)}`;
  const state = direction === 'forward' ? walk.handOver : walk.handOverGrad;
  return (
    <div className="nv-s2s-handover-box" data-testid={`handover-${direction}`}>
      <p className="nv-s2s-reads">
        {direction === 'forward' ? `Hand-over: the encoder's final state h${S} is the decoder's initial state.` : `Hand-over: the gradient sent back into the encoder's final state, dL/dh${S}.`}
      </p>
      <BarVector name={direction === 'forward' ? `h${S}` : `dL/dh${S}`} values={state.h[layer]} kind="signed" testId={`handover-${direction}-h`} />
      {state.c && <BarVector name={direction === 'forward' ? `c${S}` : `dL/dc${S}`} values={state.c[layer]} kind="signed" testId={`handover-${direction}-c`} />}
    </div>
  );
}
