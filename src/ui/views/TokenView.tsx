/**
 * Symbol tasks (copy, tagging, Reber): one validation example as three rows of cells (the
 * input read, the target, the model's prediction) with wrong predictions marked and the
 * steps the metric scores outlined.
 */
import { useState } from 'react';
import type { ExampleView } from '../../train/inspect.ts';
import { useInspect } from './useInspect.ts';
import { ExampleStepper, MetricLine, ViewError } from './parts.tsx';

/** Props of {@link TokenView}. */
export interface TokenViewProps {
  /** A sentence under the rows saying what to look for. */
  caption: string;
  /** Long class names (e.g. "again later") in one short cell; default: the name itself. */
  short?: (label: string) => string;
}

/** The symbol-sequence view. */
export function TokenView({ caption, short = (label) => label }: TokenViewProps) {
  const [index, setIndex] = useState(0);
  const { view, error } = useInspect<ExampleView>({ kind: 'example', index });
  const scored = new Set(view?.scored ?? []);
  const cls = (t: number) => (scored.has(t) ? ' cell-scored' : '');
  return (
    <div className="view" data-testid="token-view">
      <MetricLine />
      <ExampleStepper index={index} onChange={setIndex} />
      {view && (
        <table className="tokens">
          <tbody>
            <tr>
              <th scope="row">input</th>
              {(view.inputs as string[]).map((s, t) => (
                <td key={t} className={`cell${cls(t)}`}>
                  {s}
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row">target</th>
              {view.targets.map((s, t) => (
                <td key={t} className={`cell${cls(t)}`} title={String(s)}>
                  {short(String(s))}
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row">predicted</th>
              {view.predictions.map((s, t) => (
                <td key={t} className={`cell${cls(t)}${s === view.targets[t] ? '' : ' cell-wrong'}`} title={`${s}${view.confidence ? `, p = ${view.confidence[t].toFixed(2)}` : ''}`}>
                  {short(String(s))}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      )}
      <p className="muted small">{caption}</p>
      <ViewError error={error} />
    </div>
  );
}
