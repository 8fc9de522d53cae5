/** The network panel's choices: which layer and direction, which example (or typed text for the character model), and a refresh of the walk. */
import { selectIndex, selectText, selectWalk, useNetworkStore } from '../../store/networkStore.ts';
import type { WalkFeed } from '../../store/networkWalk.ts';
import { selectTaskId } from '../../store/selectors.ts';
import { useStore } from '../../store/store.ts';

/** Props of {@link NetworkControls}. */
export interface NetworkControlsProps {
  feed: WalkFeed;
  /** Names of the (layer, direction) rows. */
  rowNames: readonly string[];
  /** The chosen row. */
  row: number;
}

/** The controls row above the views. */
export function NetworkControls({ feed, rowNames, row }: NetworkControlsProps) {
  const index = useNetworkStore(selectIndex);
  const text = useNetworkStore(selectText);
  const walk = useNetworkStore(selectWalk);
  const { setRow, setIndex, setText } = useNetworkStore.getState();
  const taskId = useStore(selectTaskId);
  const charModel = taskId === 'char-model';
  const source = walk ? (walk.request.kind === 'text' ? 'typed text' : `example ${walk.request.index}`) : null;
  return (
    <div className="nv-controls">
      {rowNames.length > 1 && (
        <label title="Which layer and direction the gradient chart, the heatmaps and the step-through show">
          Layer{' '}
          <select value={row} onChange={(e) => setRow(Number(e.target.value))} data-testid="nv-row">
            {rowNames.map((name, i) => (
              <option key={i} value={i}>
                {name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label title="Validation example the graph, heatmaps and step-through walk">
        Example{' '}
        <input type="number" min={0} step={1} value={index} className="nv-index" data-testid="nv-example" onChange={(e) => setIndex(Math.max(0, Math.floor(Number(e.target.value) || 0)))} />
      </label>
      {charModel && (
        <label title="Text to walk instead of the example: each step reads a symbol and predicts the next (symbols must be in the run's vocabulary)">
          or text{' '}
          <input type="text" value={text} placeholder="type to walk your own text" className="nv-text" data-testid="nv-text" onChange={(e) => setText(e.target.value)} />
        </label>
      )}
      <button type="button" onClick={() => void feed.refresh()} data-testid="nv-refresh" title="Walk the example again at the current weights (also done on pause, and every 2 s while training)">
        Refresh
      </button>
      {walk && (
        <span className="muted nv-walk-note" data-testid="nv-walk-step" data-value={walk.step}>
          {source} at step {walk.step}
        </span>
      )}
    </div>
  );
}
