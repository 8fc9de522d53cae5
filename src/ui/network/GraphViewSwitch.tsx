/** The graph's forward/backward switch: nodes by ‖h‖, or by ‖dL/dh‖ with edges by the gradient along them. */
import { selectView, useNetworkStore } from '../../store/networkStore.ts';

/** The two buttons and the click hint, bound to the network store's `view`. */
export function GraphViewSwitch() {
  const view = useNetworkStore(selectView);
  const setView = useNetworkStore((s) => s.setView);
  return (
    <div className="nv-segmented" role="group" aria-label="Colour the nodes by">
      {(['forward', 'backward'] as const).map((v) => (
        <button key={v} type="button" aria-pressed={view === v} onClick={() => setView(v)} data-testid={`nv-view-${v}`} title={v === 'forward' ? 'Nodes coloured by ‖h_t‖' : 'Nodes coloured by ‖dL/dh_t‖, edges by the gradient along them'}>
          {v === 'forward' ? 'Forward ‖h_t‖' : 'Backward ‖dL/dh_t‖'}
        </button>
      ))}
      <span className="muted nv-hint">Click a cell to inspect it.</span>
    </div>
  );
}
