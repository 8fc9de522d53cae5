/**
 * Inside the network (issue 7) on the page: one panel with a tab per view. Graph: the
 * unrolled network coloured by ‖h_t‖ or ‖dL/dh_t‖ of one example's BPTT walk, the window
 * shaded and cuts marked, a click opens the cell inspector. Gradients: ‖dL/dh_t‖ over t of
 * the latest training step, live, with earlier runs behind. Gates: the chosen layer's gate
 * heatmaps for the example. Step through: the BPTT stepper. Training: ‖g‖ before and after
 * clipping and σ_max(W_hh). The walk comes from the worker on demand (networkWalk.ts).
 */
import { useEffect, useMemo } from 'react';
import { selectOpen, selectRow, selectTab, selectWalk, selectWalkError, useNetworkStore, type NetworkTab } from '../../store/networkStore.ts';
import { WalkFeed } from '../../store/networkWalk.ts';
import { selectInfo, selectStatus } from '../../store/selectors.ts';
import { useStore, type Store } from '../../store/store.ts';
import { taskById } from '../../tasks/index.ts';
import { useSession } from '../session.tsx';
import { NetworkControls } from './NetworkControls.tsx';
import { NetworkTabView } from './NetworkTabView.tsx';
import { seq2seqRowNames } from './Seq2SeqTabView.tsx';
import { useWidth } from './useWidth.ts';
import './network.css';

const TABS: { id: NetworkTab; label: string; hint: string }[] = [
  { id: 'graph', label: 'Graph', hint: 'The network unrolled over time for one example: ‖h_t‖ forward, ‖dL/dh_t‖ backward' },
  { id: 'gradients', label: 'Gradients', hint: '‖dL/dh_t‖ against t for the latest training step, live' },
  { id: 'gates', label: 'Gates', hint: 'Gate activations, h and c, units × time, for one example' },
  { id: 'stepper', label: 'Step through', hint: 'Walk one example forward and back through time' },
  { id: 'clipping', label: 'Clipping, σ', hint: '‖g‖ before and after clipping, and the largest singular value of W_hh over training' },
];

/** Whether the run in use is an encoder-decoder (its rows are the encoder's layers, then the decoder's). */
const selectEncoderDecoder = (s: Store) => s.applied !== null && taskById(s.applied.task.id).kind === 'encoder-decoder';

/** Names of the (layer, direction) rows of a model, at layer · D + dir. */
export function rowNames(layers: number, D: number): string[] {
  return Array.from({ length: layers * D }, (_, i) => `layer ${Math.floor(i / D) + 1}${D === 2 ? (i % D === 0 ? ' →' : ' ←') : ''}`);
}

/** The panel: its title with a show/hide switch, and the views while shown. */
export function NetworkViewsPanel() {
  const open = useNetworkStore(selectOpen);
  const setOpen = useNetworkStore((s) => s.setOpen);
  return (
    <section className="panel network-views" aria-labelledby="nv-panel-title" data-testid="network-views">
      <div className="nv-panel-head">
        <h2 id="nv-panel-title" className="panel-title">
          Inside the network
        </h2>
        <button type="button" className="nv-toggle" aria-expanded={open} aria-controls="nv-body" data-testid="nv-toggle" onClick={() => setOpen(!open)} title={open ? 'Hide the views: nothing of them runs while hidden' : 'Show the unrolled graph, gradients, gates and the step-through'}>
          {open ? 'Hide' : 'Show'}
        </button>
      </div>
      {open && <NetworkViewsBody />}
    </section>
  );
}

/** The tabs, controls and the chosen view; mounted only while the panel is open, so closed it requests no walks. */
function NetworkViewsBody() {
  const session = useSession();
  const feed = useMemo(() => new WalkFeed(session.store, useNetworkStore, (request) => session.walk(request)), [session]);
  useEffect(() => {
    feed.start();
    return () => feed.dispose();
  }, [feed]);
  const tab = useNetworkStore(selectTab);
  const setTab = useNetworkStore((s) => s.setTab);
  const walk = useNetworkStore(selectWalk);
  const walkError = useNetworkStore(selectWalkError);
  const row = useNetworkStore(selectRow);
  const info = useStore(selectInfo);
  const status = useStore(selectStatus);
  const [ref, width] = useWidth<HTMLDivElement>(480);
  const model = info?.model;
  const encoderDecoder = useStore(selectEncoderDecoder);
  const names = useMemo(() => (!model ? [] : encoderDecoder ? seq2seqRowNames(model.numLayers) : rowNames(model.numLayers, model.bidirectional ? 2 : 1)), [model, encoderDecoder]);
  const safeRow = Math.min(row, Math.max(0, names.length - 1));
  return (
    <div id="nv-body" className="nv-body">
      <div className="nv-tabs" role="tablist" aria-label="Network views">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" id={`nv-tab-${t.id}`} aria-selected={tab === t.id} aria-controls="nv-tabpanel" title={t.hint} className="nv-tab" data-testid={`nv-tab-${t.id}`} onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <NetworkControls feed={feed} rowNames={names} row={safeRow} />
      <div id="nv-tabpanel" role="tabpanel" aria-labelledby={`nv-tab-${tab}`} ref={ref} className="nv-tabpanel">
        {!model || status === 'initialising' ? (
          <p className="muted nv-empty">The views appear once the run is built.</p>
        ) : (
          <NetworkTabView tab={tab} feed={feed} walk={walk} walkError={walkError} row={safeRow} rowNames={names} width={width} />
        )}
      </div>
    </div>
  );
}
