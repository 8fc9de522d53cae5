/**
 * The network panel's graph, gates and step-through tabs for an encoder-decoder run, drawn from
 * its Seq2SeqWalkView. The panel's row picks the part and layer: rows 0..L-1 are the encoder's
 * layers, L..2L-1 the decoder's (the order of the run's ‖dL/dh‖ history and σ_max).
 */
import { useMemo } from 'react';
import { selectPinnedUnit, selectSelected, selectView, useNetworkStore, type NetworkTab } from '../../store/networkStore.ts';
import type { Seq2SeqWalkView, WalkView } from '../../train/walk.ts';
import { CellInspector } from './CellInspector.tsx';
import { GateHeatmaps } from './GateHeatmaps.tsx';
import { GraphViewSwitch } from './GraphViewSwitch.tsx';
import { Seq2SeqGraph, type Seq2SeqLabels, type Seq2SeqPart } from './Seq2SeqGraph.tsx';
import { Seq2SeqReach } from './Seq2SeqReach.tsx';
import { Seq2SeqStepper } from './Seq2SeqStepper.tsx';
import { useCloseInspector } from './useGraphKeys.ts';

/** Props of {@link Seq2SeqTabView}. */
export interface Seq2SeqTabViewProps {
  tab: Extract<NetworkTab, 'graph' | 'gates' | 'stepper'>;
  walk: Seq2SeqWalkView;
  /** The panel's row: encoder layers, then decoder layers. */
  row: number;
  width: number;
}

/** Names of an encoder-decoder's rows: its encoder's layers, then its decoder's. */
export function seq2seqRowNames(layers: number): string[] {
  return (['encoder', 'decoder'] as const).flatMap((part) => Array.from({ length: layers }, (_, l) => `${part} layer ${l + 1}`));
}

/** One part of the walk as a plain network's view, for the cell inspector. */
function partView(view: Seq2SeqWalkView, part: Seq2SeqPart): WalkView {
  return { kind: 'recurrent', request: view.request, step: view.step, walk: view.walk[part], labels: part === 'encoder' ? view.sourceLabels : view.decoderLabels, sigmaMax: [], reach: null };
}

/** The chosen tab's view. */
export function Seq2SeqTabView({ tab, walk, row, width }: Seq2SeqTabViewProps) {
  const L = walk.walk.encoder.numLayers;
  const labels = useMemo<Seq2SeqLabels>(() => ({ source: walk.sourceLabels, decoderInputs: walk.decoderLabels, targets: walk.targetLabels, predictions: walk.predictionLabels }), [walk]);
  if (tab === 'graph') return <GraphTab walk={walk} labels={labels} width={width} />;
  if (tab === 'gates') return <GatesTab walk={walk} part={row < L ? 'encoder' : 'decoder'} layer={row % L} width={width} />;
  return <Seq2SeqStepper key={row % L} walk={walk.walk} labels={labels} initialLayer={row % L} width={Math.max(240, width - 40)} />;
}

/** The graph with the forward/backward switch, and the inspector of a clicked cell. */
function GraphTab({ walk, labels, width }: { walk: Seq2SeqWalkView; labels: Seq2SeqLabels; width: number }) {
  const view = useNetworkStore(selectView);
  const selected = useNetworkStore(selectSelected);
  const setSelected = useNetworkStore((s) => s.setSelected);
  const part = selected?.part;
  const inView = part && selected.t < walk.walk[part].T && selected.layer < walk.walk[part].numLayers ? { ...selected, part } : null;
  const { box, close } = useCloseInspector(() => setSelected(null));
  return (
    <div className="nv-graph-tab" ref={box}>
      <GraphViewSwitch />
      <Seq2SeqGraph walk={walk.walk} labels={labels} view={view} selected={inView} onSelect={(p, t, layer) => setSelected({ t, layer, dir: 0, part: p })} onEscape={close} width={width} />
      {inView && (
        <>
          <p className="nv-s2s-reads" data-testid="inspector-part">
            {inView.part === 'encoder' ? `Encoder cell: reads the source symbol x_${inView.t + 1}.` : `Decoder cell: step u = ${inView.t + 1} (its t below), started from the hand-over.`}
          </p>
          <CellInspector walk={partView(walk, inView.part)} node={inView} onClose={close} />
        </>
      )}
    </div>
  );
}

/** The Gradients tab's reach table of the walked example, for the layer of the panel's row (both parts), or why there is none. */
export function Seq2SeqReachView({ walk, row, width }: { walk: Seq2SeqWalkView; row: number; width: number }) {
  if (!walk.reach) return <p className="muted nv-empty" data-testid="seq2seq-reach-none">No reach table for this example: one walk per output would cost more than the views allow (a shorter example or a smaller model has one).</p>;
  return <Seq2SeqReach reach={walk.reach} layer={row % walk.walk.encoder.numLayers} labels={{ source: walk.sourceLabels, decoderInputs: walk.decoderLabels, targets: walk.targetLabels }} width={width} />;
}

/** Gate heatmaps of one part's layer, labelled by what that part reads. */
function GatesTab({ walk, part, layer, width }: { walk: Seq2SeqWalkView; part: Seq2SeqPart; layer: number; width: number }) {
  const pinned = useNetworkStore(selectPinnedUnit);
  const setPinned = useNetworkStore((s) => s.setPinnedUnit);
  const w = walk.walk[part];
  const d = w.dirs[layer];
  return (
    <>
      <p className="nv-s2s-reads" data-testid="gates-part">
        {part === 'encoder' ? `Encoder, layer ${layer + 1}: one column per source symbol read.` : `Decoder, layer ${layer + 1}: one column per decoder step (the symbol it reads).`} Choose the part and layer above.
      </p>
      <GateHeatmaps gateNames={w.gateNames} H={w.hiddenSize} T={w.T} gates={d.gates} h={d.h} c={d.c} labels={part === 'encoder' ? walk.sourceLabels : walk.decoderLabels} pinnedUnit={pinned} onPinUnit={setPinned} width={Math.max(60, width - 40)} />
    </>
  );
}
