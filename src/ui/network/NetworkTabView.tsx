/** The content of the network panel's chosen tab, drawn from the walk, the run's history and the σ_max series. */
import { useMemo } from 'react';
import type { AnyWalkView, WalkView } from '../../train/walk.ts';
import type { NetworkTab } from '../../store/networkStore.ts';
import { selectPinnedUnit, selectSelected, selectView, useNetworkStore } from '../../store/networkStore.ts';
import type { WalkFeed } from '../../store/networkWalk.ts';
import { selectApplied, selectEarlier, selectHistory } from '../../store/selectors.ts';
import { useStore, type Store } from '../../store/store.ts';
import { describeDifferences, type ConfigRecord } from '../../viz/diff.ts';
import { BpttStepper } from './BpttStepper.tsx';
import { CellInspector } from './CellInspector.tsx';
import { GateHeatmaps } from './GateHeatmaps.tsx';
import { GraphViewSwitch } from './GraphViewSwitch.tsx';
import type { GradientOverlay } from './GradientOverTime.tsx';
import { LiveGradientOverTime } from './LiveGradientOverTime.tsx';
import { ReachTriangle } from './ReachTriangle.tsx';
import { Seq2SeqReachView, Seq2SeqTabView } from './Seq2SeqTabView.tsx';
import { ClippingChart, SigmaChart } from './TrainingCharts.tsx';
import { UnrolledGraph } from './UnrolledGraph.tsx';
import { useCloseInspector } from './useGraphKeys.ts';
import { walkGraphNorms, walkGraphShape } from './walkNorms.ts';

/** The run's clip_grad_norm_ threshold, or null when it does not clip by norm. */
const selectClipNorm = (s: Store) => s.applied?.training.optimizer.clipNorm ?? null;

/** Props of {@link NetworkTabView}. */
export interface NetworkTabViewProps {
  tab: NetworkTab;
  feed: WalkFeed;
  /** The latest walk (an encoder-decoder's has views of its own), or null before one arrives. */
  walk: AnyWalkView | null;
  /** Why the last walk failed, or null. */
  walkError: string | null;
  /** (layer, direction) shown: layer · D + dir. */
  row: number;
  rowNames: readonly string[];
  width: number;
}

/** One tab's view. */
export function NetworkTabView({ tab, feed, walk, walkError, row, rowNames, width }: NetworkTabViewProps) {
  if (tab === 'gradients') return <GradientsTab row={row} width={width} walk={walk} />;
  if (tab === 'clipping') return <TrainingTab feed={feed} rowNames={rowNames} width={width} />;
  if (walkError) return <p className="nv-error" role="status" data-testid="nv-walk-error">{walkError}</p>;
  if (!walk) return <p className="muted nv-empty">Walking the example…</p>;
  if (walk.kind === 'seq2seq') return <Seq2SeqTabView tab={tab} walk={walk} row={row} width={width} />;
  if (tab === 'graph') return <GraphTab walk={walk} width={width} />;
  if (tab === 'gates') return <GatesTab walk={walk} row={row} width={width} />;
  return <BpttStepper key={row} walk={walk.walk} initialRow={row} width={Math.max(240, width - 40)} />;
}

/** The unrolled graph of the walk, with the forward/backward switch and the cell inspector. */
function GraphTab({ walk, width }: { walk: WalkView; width: number }) {
  const view = useNetworkStore(selectView);
  const selected = useNetworkStore(selectSelected);
  const { setSelected } = useNetworkStore.getState();
  const w = walk.walk;
  const shape = useMemo(() => walkGraphShape(w), [w]);
  const norms = useMemo(() => walkGraphNorms(w, view), [w, view]);
  const inView = selected && selected.t < w.T && selected.layer < w.numLayers && selected.dir < w.D ? selected : null;
  const { box, close } = useCloseInspector(() => setSelected(null));
  return (
    <div className="nv-graph-tab" ref={box}>
      <GraphViewSwitch />
      <UnrolledGraph shape={shape} view={view} norms={norms} selected={inView} onSelect={(t, layer, dir) => setSelected({ t, layer, dir })} onEscape={close} width={width} />
      {inView && <CellInspector walk={walk} node={inView} onClose={close} />}
    </div>
  );
}

/** Gate heatmaps of the chosen row. */
function GatesTab({ walk, row, width }: { walk: WalkView; row: number; width: number }) {
  const pinned = useNetworkStore(selectPinnedUnit);
  const setPinned = useNetworkStore((s) => s.setPinnedUnit);
  const d = walk.walk.dirs[row];
  return <GateHeatmaps gateNames={walk.walk.gateNames} H={walk.walk.hiddenSize} T={walk.walk.T} gates={d.gates} h={d.h} c={d.c} labels={walk.labels} pinnedUnit={pinned} onPinUnit={setPinned} width={width} />;
}

/** ‖dL/dh_t‖ of the latest step, live, with earlier runs' last curves; under it the walked example's reach table. */
function GradientsTab({ row, width, walk }: { row: number; width: number; walk: AnyWalkView | null }) {
  const history = useStore(selectHistory);
  const earlier = useStore(selectEarlier);
  const applied = useStore(selectApplied);
  const overlays = useMemo<GradientOverlay[]>(
    () =>
      earlier.flatMap((run) => {
        const last = run.history.latest?.dhNorm[row];
        if (!last) return [];
        const label = applied ? describeDifferences(run.config as unknown as ConfigRecord, applied as unknown as ConfigRecord) : 'earlier run';
        return [{ label: `${label} (step ${run.history.latest!.step})`, values: last }];
      }),
    [earlier, applied, row],
  );
  return (
    <>
      <LiveGradientOverTime history={history} row={row} overlays={overlays} width={width} />
      {walk?.kind === 'seq2seq' ? <Seq2SeqReachView walk={walk} row={row} width={width} /> : walk?.reach && <ReachTriangle reach={walk.reach} row={row} labels={walk.labels} width={width} />}
    </>
  );
}

/** What σ_max(W_hh) leaves out with Jordan output feedback (lectures 000, 001), or undefined without it. */
function selectFeedbackSigmaNote(s: Store): string | undefined {
  const fb = s.applied?.model.outputFeedback;
  if (!fb) return undefined;
  return fb.recurrent
    ? 'With output feedback the gradient also flows back through y_t, W_hy and the head, which σ_max(W_hh) does not bound.'
    : 'This model has no W_hh (a pure Jordan network): its past reaches h_t only through y_(t−1) and W_hy, so there is no σ_max(W_hh) to plot.';
}

/** The clipping and σ_max charts side by side (stacked when narrow). */
function TrainingTab({ feed, rowNames, width }: { feed: WalkFeed; rowNames: readonly string[]; width: number }) {
  const history = useStore(selectHistory);
  const clipNorm = useStore(selectClipNorm);
  const sigmaNote = useStore(selectFeedbackSigmaNote);
  return (
    <div className={width > 560 ? 'nv-training nv-training-wide' : 'nv-training'}>
      <ClippingChart history={history} clipNorm={clipNorm} height={150} />
      <SigmaChart sigma={feed.sigma} rowNames={rowNames} height={150} note={sigmaNote} />
    </div>
  );
}
