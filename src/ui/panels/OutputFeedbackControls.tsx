/**
 * Jordan output feedback on the Model panel (lectures 000 and 001): on or off, whether the
 * target or the network's own output is fed, and whether W_hh stays. The same conditions as the
 * link's `fb` row (outputFeedbackNeeds); where they fail the switch is disabled and a note says
 * what it needs, and an edit that breaks them (another cell, more layers) turns it off.
 */
import { useEffect } from 'react';
import type { OutputFeedback } from '../../engine/model.ts';
import { isPending, selectModel, usePending, useTask } from '../../store/selectors.ts';
import { useStore } from '../../store/store.ts';
import { outputFeedbackNeeds } from '../../tasks/index.ts';
import { Checkbox } from '../controls/inputs.tsx';

/** Props of {@link OutputFeedbackControls}. */
export interface OutputFeedbackControlsProps {
  /** The task's input encoding on the page ('embedding' rules the feedback out). */
  encoding: string;
}

/** A fresh feedback's settings: the network's own output fed, W_hh kept (the link's defaults). */
const FRESH: OutputFeedback = { teacherForcing: false, recurrent: true };

const HELP = {
  on: 'Lecture 000: "S^t = h(X^t, S^{t-1}, Y^{t-1})". The previous output y_(t−1) is fed back into the state through W_hy, as in Jordan\'s network (lecture 001): h_t = act(W_ih x_t + W_hh h_(t−1) + W_hy y_(t−1) + b).',
  forced: 'Lecture 000: "During training we may use target values as input". The previous target y*_(t−1) is fed instead of the output, so no gradient flows back along the feedback.',
  recurrent: 'Unchecked, the pure Jordan network: "Only feed output to next time step (not state)" (lecture 000). There is no W_hh; the past reaches h_t only through y_(t−1).',
};

/** The output feedback switches. */
export function OutputFeedbackControls({ encoding }: OutputFeedbackControlsProps) {
  const task = useTask();
  const model = useStore(selectModel);
  const pending = usePending();
  const setModel = useStore((s) => s.setModel);
  const needs = outputFeedbackNeeds(task, model, encoding === 'embedding');
  const fb = model.outputFeedback;
  const fits = needs.length === 0;
  useEffect(() => {
    if (fb && !fits) setModel({ outputFeedback: undefined });
  }, [fb, fits, setModel]);
  const p = (path: string) => isPending(pending, path);
  const set = (change: Partial<OutputFeedback>) => setModel({ outputFeedback: { ...(fb ?? FRESH), ...change } });
  return (
    <div className="output-feedback" data-testid="output-feedback">
      <Checkbox id="feedback" label="Output feedback (Jordan)" help={HELP.on} pending={p('model.outputFeedback')} disabled={!fits} checked={fits && fb !== undefined} onChange={(on) => setModel({ outputFeedback: on ? FRESH : undefined })} />
      {!fits && <p className="note" data-testid="feedback-needs">Output feedback needs {needs.join(', ')}.</p>}
      {fits && fb && (
        <fieldset className="gates">
          <legend>y_(t−1) fed back through W_hy</legend>
          <Checkbox id="feedback-forced" label="teacher-force the feedback" help={HELP.forced} pending={p('model.outputFeedback.teacherForcing')} checked={fb.teacherForcing} onChange={(on) => set({ teacherForcing: on })} />
          <Checkbox id="feedback-recurrent" label="keep W_hh (recurrent state)" help={HELP.recurrent} pending={p('model.outputFeedback.recurrent')} checked={fb.recurrent} onChange={(on) => set({ recurrent: on })} />
        </fieldset>
      )}
    </div>
  );
}
