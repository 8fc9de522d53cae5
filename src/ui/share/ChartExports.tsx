/** Buttons under the loss chart: the chart as PNG or SVG, and the run's metric history as CSV. */
import { useRef, useState } from 'react';
import { selectHistory, selectInfo } from '../../store/selectors.ts';
import { historyCsv } from '../../store/shareCsv.ts';
import { useStore } from '../../store/store.ts';
import { chartPng, chartSvg } from './chartImage.ts';
import { download } from './download.ts';
import './share.css';

/** The export buttons of the charts panel. */
export function ChartExports() {
  const history = useStore(selectHistory);
  const info = useStore(selectInfo);
  const ref = useRef<HTMLDivElement>(null);
  const [problem, setProblem] = useState('');
  /** The loss chart's plot in the same panel. */
  const plot = () => {
    const el = ref.current?.closest('section')?.querySelector('.loss-chart .chart-plot');
    if (!el) throw new Error('the loss chart is not on the page');
    return el;
  };
  const save = async (make: () => Promise<[string, Blob]>) => {
    try {
      const [name, blob] = await make();
      download(name, blob);
      setProblem('');
    } catch (error) {
      setProblem(`Export failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return (
    <div className="chart-exports" role="group" aria-label="Export" ref={ref}>
      {problem && <span className="share-problem">{problem}</span>}
      <button type="button" className="share-button" onClick={() => void save(async () => ['rnn-playground-loss.png', await chartPng(plot())])} title="The loss chart as a PNG picture (curves, axes and labels)" data-testid="export-png">
        PNG
      </button>
      <button type="button" className="share-button" onClick={() => void save(async () => ['rnn-playground-loss.svg', chartSvg(plot())])} title="The loss chart as SVG: axes and labels as vector graphics, the curves embedded as an image" data-testid="export-svg">
        SVG
      </button>
      <button type="button" className="share-button" onClick={() => void save(async () => ['rnn-playground-history.csv', new Blob([historyCsv(history, info?.metric.name)], { type: 'text/csv' })])} title="The metric history as CSV: step, training loss, gradient norm before and after clipping; validation loss and metric" data-testid="export-csv">
        CSV
      </button>
    </div>
  );
}
