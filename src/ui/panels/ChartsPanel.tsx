/** The loss chart panel: train and validation loss, with up to three earlier runs behind and a legend naming what differed. */
import { useMemo } from 'react';
import { selectApplied, selectEarlier, selectHistory, selectLogScale } from '../../store/selectors.ts';
import { useStore } from '../../store/store.ts';
import { describeDifferences, type ConfigRecord } from '../../viz/diff.ts';
import { LossChart, type GhostRun } from '../charts/LossChart.tsx';
import { ChartExports } from '../share/ChartExports.tsx';

/** The charts panel. */
export function ChartsPanel() {
  const history = useStore(selectHistory);
  const earlier = useStore(selectEarlier);
  const applied = useStore(selectApplied);
  const logScale = useStore(selectLogScale);
  const setLogScale = useStore((s) => s.setLogScale);
  const ghosts = useMemo<GhostRun[]>(
    () =>
      [...earlier].reverse().map((run) => ({
        label: applied ? describeDifferences(run.config as unknown as ConfigRecord, applied as unknown as ConfigRecord) : 'earlier run',
        train: run.history.trainLoss,
        validation: run.history.validationLoss,
      })),
    [earlier, applied],
  );
  return (
    <section className="panel charts" aria-labelledby="charts-title">
      <h2 id="charts-title" className="panel-title">
        Loss
      </h2>
      <LossChart history={history} scale={logScale ? 'log' : 'linear'} onScaleChange={(s) => setLogScale(s === 'log')} ghosts={ghosts} height={170} />
      <ChartExports />
    </section>
  );
}
