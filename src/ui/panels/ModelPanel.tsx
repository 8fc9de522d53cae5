/** Model: the cell (with the LSTM's gate ladder and peepholes), size, depth, direction, input encoding, output feedback, initialization, dropout. */
import { FULL_LSTM, INIT_SCHEMES, type CellType, type InitScheme, type LstmGates } from '../../engine/model.ts';
import { isPending, selectInit, selectModel, selectTaskSettings, selectTraining, usePending, useTask } from '../../store/selectors.ts';
import { useStore } from '../../store/store.ts';
import { Checkbox, Select, Slider } from '../controls/inputs.tsx';
import { OutputFeedbackControls } from './OutputFeedbackControls.tsx';
import { Section } from './Section.tsx';

/** The cells, as the lectures name them. */
const CELLS: { value: CellType; label: string }[] = [
  { value: 'rnn_tanh', label: 'Vanilla RNN (tanh)' },
  { value: 'rnn_relu', label: 'Vanilla RNN (ReLU)' },
  { value: 'lstm', label: 'LSTM' },
  { value: 'gru', label: 'GRU' },
];

const INIT_LABELS: Record<InitScheme, string> = { pytorch: 'PyTorch default (uniform ±1/√H)', glorot_orthogonal: 'Glorot input, orthogonal recurrent (Keras)' };

/** The LSTM's gates in the ladder's order, with what switching each off means. */
const GATES: { key: keyof LstmGates; label: string; help: string }[] = [
  { key: 'input', label: 'input gate i', help: 'Without it every candidate g_t is written into the cell in full' },
  { key: 'forget', label: 'forget gate f', help: 'Without it the cell keeps everything (the 1997 LSTM, a pure constant error carousel)' },
  { key: 'output', label: 'output gate o', help: 'Without it h_t = tanh(c_t): the cell is always exposed' },
];

/** The Model section. */
export function ModelPanel() {
  const task = useTask();
  const model = useStore(selectModel);
  const init = useStore(selectInit);
  const training = useStore(selectTraining);
  const settings = useStore(selectTaskSettings);
  const { setModel, setInit, setTraining, setTaskSetting } = useStore.getState();
  const pending = usePending();
  const p = (path: string) => isPending(pending, path);
  const encodingSpec = task.info.settings.find((s) => s.key === 'encoding');
  const encoding = String(settings.encoding ?? (encodingSpec?.kind === 'choice' ? encodingSpec.default : ''));
  const lstm = model.lstm ?? FULL_LSTM;
  const bi = task.info.bidirectional;
  return (
    <Section id="model" title="Model" pending={isPending(pending, 'model', 'init', 'task.settings.encoding')}>
      <Select id="cell" label="Cell" help="The recurrent unit: a vanilla RNN, the LSTM (gated cell state) or the GRU (coupled gates)" pending={p('model.cell')} value={model.cell} options={CELLS} onChange={(v) => setModel({ cell: v as CellType, lstm: undefined })} />
      {model.cell === 'lstm' && (
        <fieldset className="gates">
          <legend>LSTM gates (the lectures' ladder)</legend>
          {GATES.map((g) => (
            <Checkbox key={g.key} id={`gate-${g.key}`} label={g.label} help={g.help} pending={p(`model.lstm.gates.${g.key}`)} checked={lstm.gates[g.key]} onChange={(on) => setModel({ lstm: { ...lstm, gates: { ...lstm.gates, [g.key]: on } } })} />
          ))}
          <Checkbox id="peepholes" label="peepholes" help="Diagonal weights from the cell state into the gates: i and f see c_{t-1}, o sees c_t" pending={p('model.lstm.peepholes')} checked={lstm.peepholes} onChange={(on) => setModel({ lstm: { ...lstm, peepholes: on } })} />
        </fieldset>
      )}
      <Slider id="hidden" label="Hidden size H" help="Units in each layer's state h_t" pending={p('model.hiddenSize')} value={model.hiddenSize} min={1} max={256} step={1} onChange={(v) => setModel({ hiddenSize: v })} />
      <Slider id="layers" label="Layers" help="Recurrent layers stacked; each reads the sequence of states of the one below" pending={p('model.numLayers')} value={model.numLayers} min={1} max={4} step={1} onChange={(v) => setModel({ numLayers: v })} />
      <Checkbox id="bidirectional" label="Bidirectional" help={`Add a layer reading the sequence backwards and concatenate the two states. ${task.info.bidirectionalNote}`} pending={p('model.bidirectional')} disabled={bi === 'forbidden'} checked={model.bidirectional} onChange={(on) => setModel({ bidirectional: on })} />
      {bi !== 'optional' && <p className={`note${bi === 'needed' && !model.bidirectional ? ' note-warn' : ''}`}>{bi === 'forbidden' ? 'Not here' : 'Needed here'}: {task.info.bidirectionalNote}.</p>}
      {encodingSpec?.kind === 'choice' && (
        <Select id="encoding" label={encodingSpec.label} help={encodingSpec.help} pending={p('task.settings.encoding')} value={encoding} options={encodingSpec.options} onChange={(v) => setTaskSetting('encoding', v)} />
      )}
      {encoding === 'embedding' && (
        <Slider id="embedding" label="Embedding size" help="Width of each learned token vector" pending={p('model.embeddingSize')} value={model.embeddingSize ?? 16} min={1} max={128} step={1} onChange={(v) => setModel({ embeddingSize: v })} />
      )}
      <OutputFeedbackControls encoding={encoding} />
      <Select id="init" label="Initialization" help="How the seeded initial weights are drawn" pending={p('init.scheme')} value={init.scheme} options={INIT_SCHEMES.map((s) => ({ value: s, label: INIT_LABELS[s] }))} onChange={(v) => setInit({ scheme: v as InitScheme })} />
      {model.cell === 'lstm' && lstm.gates.forget && (
        <Checkbox id="forget-bias" label="Forget-gate bias 1" help="Start the forget gate open (Jozefowicz et al. 2015), so the cell remembers from the first step" pending={p('init.forgetBiasOne')} checked={init.forgetBiasOne} onChange={(on) => setInit({ forgetBiasOne: on })} />
      )}
      <Slider id="dropout" label="Dropout between layers" help="Probability of zeroing each unit passed from one layer to the next while training (needs 2+ layers); applies live" disabled={model.numLayers < 2} value={training.dropout} min={0} max={0.9} step={0.05} onChange={(v) => setTraining({ dropout: v })} />
    </Section>
  );
}
