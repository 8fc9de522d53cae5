/**
 * Jordan output feedback in the step-through (lectures 000 and 001: h_t = act(W_ih x_t + W_hh h_{t-1}
 * + W_hy y_{t-1} + b)). Forward: what step t reads through W_hy. Backward: the gradient arriving
 * at h_t through y_t fed into step t+1 (W_headᵀ J_fbᵀ W_hyᵀ δ_{t+1}), or why none arrives; and the
 * row of ΔW_hy = δ_t y_{t-1}ᵀ for the sums table. Every number is the walk's (WalkFeedback).
 */
import type { WalkFeedback } from '../../engine/bpttWalk.ts';
import { BarVector } from './BarVector.tsx';
import { stepLabel, stepRow } from './format.ts';
import { Num } from './Num.tsx';

/** Props of the feedback rows. */
export interface FeedbackStepProps {
  /** The direction's feedback record. */
  fb: WalkFeedback;
  /** The step shown (0-based). */
  t: number;
}

/** What step t read through W_hy, named as the lectures name it. */
function fedName(fb: WalkFeedback, t: number): string {
  if (t === 0) return 'fed back: y_0 = 0 (nothing before step 1)';
  const prev = stepLabel(t - 1);
  if (fb.teacherForcing) return `fed back: target y*_${prev} (teacher forced)`;
  return fb.classes ? `fed back: softmax(y_${prev})` : `fed back: y_${prev}`;
}

/** Forward at t: the value fed back into h_t. */
export function FedValue({ fb, t }: FeedbackStepProps) {
  return <BarVector name={fedName(fb, t)} values={stepRow(fb.fed, t, fb.outSize)} kind={fb.classes ? 'unit' : 'signed'} testId="fed-norm" />;
}

/** Props of {@link FeedbackArrival}. */
export interface FeedbackArrivalProps extends FeedbackStepProps {
  /** Sequence length. */
  T: number;
  /** The window cut the gradient from step t+1. */
  cut: boolean;
}

/** Backward at t: dL/dh_t arriving through y_t fed into step t+1, with why nothing arrives where nothing does. */
export function FeedbackArrival({ fb, t, T, cut }: FeedbackArrivalProps) {
  const H = fb.fromFeedback.length / T;
  const note = fb.teacherForcing
    ? 'teacher forced: no gradient through the feedback (the target was fed)'
    : t === T - 1
      ? '(last step: y_T is fed nowhere)'
      : cut
        ? '✂ cut by the window'
        : undefined;
  return <BarVector name={`from y_${stepLabel(t)} fed into step ${stepLabel(t + 1)} (W_hy)`} values={stepRow(fb.fromFeedback, t, H)} kind="signed" testId="from-feedback-norm" note={note} />;
}

/** The sums table's row for ΔW_hy = δ_t y_{t-1}ᵀ. */
export function FeedbackSumRow({ fb, t }: FeedbackStepProps) {
  return (
    <tr>
      <th>‖ΔW_hy‖ = ‖δ y_{t-1}ᵀ‖</th>
      <td>
        <Num value={fb.contribution[t]} testId="contrib-Why" />
      </td>
      <td>
        <Num value={fb.total[t]} testId="total-Why" />
      </td>
    </tr>
  );
}
