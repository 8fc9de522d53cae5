/** The network area: for now the run's model in numbers and its sequence shape (issue 7 draws the network inside it). */
import { directions, paramSpecs, type ModelConfig } from '../../engine/model.ts';
import { shapeSize } from '../../engine/tensor.ts';
import { selectApplied, selectInfo, useTask } from '../../store/selectors.ts';
import type { SettingValue } from '../../tasks/index.ts';
import { useStore } from '../../store/store.ts';
import { formatCount } from '../format.ts';
import { ShapeSlot } from './ShapeSlot.tsx';

const CELL_NAMES = { rnn_tanh: 'vanilla RNN (tanh)', rnn_relu: 'vanilla RNN (ReLU)', lstm: 'LSTM', gru: 'GRU' } as const;

/** What enters the network at each step, in words. */
function inputText(model: ModelConfig, encoding: SettingValue | undefined): string {
  if (model.embedding) return `${model.embedding.vocabSize} tokens → learned embedding of ${model.inputSize}`;
  if (encoding === 'one-hot') return `one-hot over ${model.inputSize} symbols`;
  return `${model.inputSize} ${model.inputSize === 1 ? 'value' : 'values'} per step`;
}

/** The middle panel. */
export function NetworkPanel() {
  const info = useStore(selectInfo);
  const given = useStore(selectApplied)?.task.settings.encoding;
  const task = useTask();
  const spec = task.info.settings.find((s) => s.key === 'encoding');
  const encoding = given ?? spec?.default;
  const model = info?.model;
  const params = model ? paramSpecs(model).reduce((n, s) => n + shapeSize(s.shape), 0) : 0;
  return (
    <section className="panel network" aria-labelledby="network-title">
      <h2 id="network-title" className="panel-title">
        Network
      </h2>
      <div className="network-body">
        <ShapeSlot shape={task.info.shape} scale={1} />
        {model ? (
          <dl className="summary" data-testid="model-summary">
            <dt>cell</dt>
            <dd>{CELL_NAMES[model.cell]}</dd>
            <dt title="layers × directions × hidden units">layers × dir. × H</dt>
            <dd>
              {model.numLayers} × {directions(model)} × {model.hiddenSize}
            </dd>
            <dt>input</dt>
            <dd>{inputText(model, encoding)}</dd>
            <dt>output</dt>
            <dd>
              {model.outputSize} {task.info.loss === 'mse' ? 'value' : 'classes'}
              {task.info.outputMode === 'last' ? ', read at the last step' : ' at every step'}
            </dd>
            <dt>parameters</dt>
            <dd>{formatCount(params)}</dd>
          </dl>
        ) : (
          <p className="muted">The model appears here once the run is built.</p>
        )}
      </div>
    </section>
  );
}
