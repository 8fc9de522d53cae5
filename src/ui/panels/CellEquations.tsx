/** The equations of the chosen cell, with the lectures' account of what it adds (src/ui/equations). */
import { selectModel } from '../../store/selectors.ts';
import { useStore } from '../../store/store.ts';
import { EquationsPanel } from '../equations/EquationsPanel.tsx';

/** The equations panel of the page, following the edited model. */
export function CellEquations() {
  const model = useStore(selectModel);
  return (
    <div className="equations-panel">
      <EquationsPanel cell={model.cell} gates={model.lstm?.gates} peepholes={model.lstm?.peepholes} outputFeedback={model.outputFeedback} />
    </div>
  );
}
