/**
 * GradientOverTime fed live from the run's history: ‖dL/dh_t‖ of the latest published step
 * (with the few before it fading behind), read from RunHistory.latest when the history
 * announces a change and redrawn at most once per animation frame, so training at full
 * speed renders this view at the screen's rate, not per step. Earlier runs' last ‖dL/dh_t‖
 * are drawn dashed behind it (e.g. a vanilla RNN's against an LSTM's on the adding problem).
 */
import { useEffect, useState } from 'react';
import type { RunHistory } from '../../store/history.ts';
import { GradientOverTime, type GradientOverlay, type GradientSnapshot } from './GradientOverTime.tsx';

/** Props of {@link LiveGradientOverTime}. */
export interface LiveGradientOverTimeProps {
  /** The current run's history. */
  history: RunHistory;
  /** (layer, direction) to draw: layer · D + dir. */
  row: number;
  /** Earlier runs' curves for the same row. */
  overlays: readonly GradientOverlay[];
  width: number;
  height?: number;
}

/** How many published steps are kept: the latest and the ones fading behind it. */
const KEEP = 5;

/** ‖dL/dh_t‖ against t, live. */
export function LiveGradientOverTime({ history, row, overlays, width, height = 200 }: LiveGradientOverTimeProps) {
  // The snapshots belong to the history they were read from; a new run's history starts with none.
  const [state, setState] = useState<{ of: RunHistory; list: GradientSnapshot[] }>(() => ({ of: history, list: history.latest ? [history.latest] : [] }));
  const snapshots = state.of === history ? state.list : [];
  useEffect(() => {
    let kept: GradientSnapshot[] = [];
    const draw = () => {
      frame = 0;
      const p = history.latest;
      if (!p) {
        kept = [];
      } else if (kept.length === 0 || kept[kept.length - 1].step !== p.step) {
        kept = [...kept, { step: p.step, dhNorm: p.dhNorm }].slice(-KEEP);
      } else return;
      setState({ of: history, list: kept });
    };
    let frame = requestAnimationFrame(draw);
    const unsubscribe = history.subscribe(() => {
      frame ||= requestAnimationFrame(draw);
    });
    return () => {
      unsubscribe();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [history]);
  const usable = snapshots.filter((s) => row < s.dhNorm.length);
  return usable.length || overlays.length ? (
    <GradientOverTime history={usable} series={row} fade={KEEP - 1} overlays={overlays} width={width} height={height} />
  ) : (
    <p className="muted nv-empty">Train a step to see how far back the gradient reaches.</p>
  );
}
