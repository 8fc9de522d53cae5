/** The network area: for now the run's model in numbers and its sequence shape (issue 7 draws the network inside it). */
import { directions, paramSpecs } from '../../engine/model.ts';
import { shapeSize } from '../../engine/tensor.ts';
import { selectInfo, useTask } from '../../store/selectors.ts';
import { useStore } from '../../store/store.ts';
import { formatCount } from '../format.ts';
import { ShapeSlot } from './ShapeSlot.tsx';

const CELL_NAMES = { rnn_tanh: 'vanilla RNN (tanh)', rnn_relu: 'vanilla RNN (ReLU)', lstm: 'LSTM', gru: 'GRU' } as const;

/** The middle panel. */
export function NetworkPanel() {
  const info = useStore(selectInfo);
  const task = useTask();
  const model = info?.model;
  const params = model ? paramSpecs(model).reduce((n, s) => n + shapeSize(s.shape), 0) : 0;
  return (
    <section className="panel network" aria-labelledby="network-title">
      <h2 id="network-title" className="panel-title">
        Network
      </h2>
      <div className="network-body">
        <ShapeSlot shape={task.info.shape} />
        {model ? (
          <dl className="summary" data-testid="model-summary">
            <dt>cell</dt>
            <dd>{CELL_NAMES[model.cell]}</dd>
            <dt>layers × directions × hidden</dt>
            <dd>
              {model.numLayers} × {directions(model)} × {model.hiddenSize}
            </dd>
            <dt>input</dt>
            <dd>{model.embedding ? `${model.embedding.vocabSize} tokens → embedding of ${model.inputSize}` : `${model.inputSize} features per step`}</dd>
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
