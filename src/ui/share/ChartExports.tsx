/** Buttons under the loss chart: the run's metric history as CSV. */
import { selectHistory, selectInfo } from '../../store/selectors.ts';
import { historyCsv } from '../../store/shareCsv.ts';
import { useStore } from '../../store/store.ts';
import { download } from './download.ts';
import './share.css';

/** The export buttons of the charts panel. */
export function ChartExports() {
  const history = useStore(selectHistory);
  const info = useStore(selectInfo);
  return (
    <div className="chart-exports" role="group" aria-label="Export">
      <button type="button" className="share-button" onClick={() => download('rnn-playground-history.csv', new Blob([historyCsv(history, info?.metric.name)], { type: 'text/csv' }))} title="The metric history as CSV: step, training loss, gradient norm before and after clipping; validation loss and metric" data-testid="export-csv">
        CSV
      </button>
    </div>
  );
}
