/**
 * Lessons: ready links, one per idea in the lectures (../shared/reference), each with two or
 * three sentences in the lectures' words, what to look at, and the state it opens as an
 * override of its task's default state. Most have a contrast: the same run with the one
 * setting that makes the difference, for a second link beside the first.
 */
import { encodeHash } from './hash.ts';
import { applyOverride, defaultState, type ShareState, type StateOverride } from './schema.ts';

/** A lesson: a link with its explanation. */
export interface Lesson {
  /** Stable id (for the gallery and tests). */
  id: string;
  title: string;
  /** Two or three sentences in the lectures' words. */
  text: string;
  /** What to look at once it trains. */
  lookAt: string;
  /** The lecture files (../shared/reference) it draws on. */
  lectures: readonly string[];
  /** The lesson's run: its task and what differs from that task's default state. */
  override: StateOverride & { config: { task: { id: string } } };
  /** The same run with the setting that makes the difference, over the lesson's state. */
  contrast?: { label: string; override: StateOverride };
}

/** Every lesson, in the order the lectures teach them. */
export const LESSONS: readonly Lesson[] = [
  {
    id: 'vanishing-gradients',
    title: 'Vanishing gradients: a vanilla RNN against the LSTM',
    text:
      'In BPTT the gradient is multiplied by W_hh (and the derivative of tanh) once per step it travels back, so over many ' +
      'steps it shrinks to zero, and the network forgets its first inputs. The adding problem at T = 100 asks for two values ' +
      'marked far apart: a vanilla RNN stays near the mean, while the LSTM’s cell state, a constant error carousel, carries the gradient back.',
    lookAt:
      'The gradient-over-time view: for rnn_tanh ‖dL/dh_t‖ at the first steps is dozens of orders of magnitude below the last, and the loss stays at the mean. ' +
      'The LSTM (the contrast) needs patience: with this seed it sits at the mean too, then breaks away after about 1,000 steps.',
    lectures: ['002_fa9aeecfbbdf8ef8.txt', '003_4a22df89ea6b79df.txt'],
    override: { config: { task: { id: 'adding', settings: { T: 100 } }, seed: 1, model: { cell: 'rnn_tanh' } }, views: { gradients: true } },
    contrast: { label: 'the same with an LSTM', override: { config: { model: { cell: 'lstm' } } } },
  },
  {
    id: 'exploding-gradients',
    title: 'Exploding gradients and clipping',
    text:
      'The hidden-hidden weight matrix is applied repeatedly over time, which stretches or squashes the gradient by the same amount ' +
      'over and over: when it stretches, the gradient explodes exponentially. The exploding gradient can be tackled by clipping it ' +
      'at a maximum value; here a tanh RNN trains by plain SGD with a large learning rate and clipping off.',
    lookAt: 'The gradient norm before clipping: within 25 steps it grows by more than thirty orders of magnitude and the loss with it, until both are infinite. The contrast clips the norm at 1 and the same run learns.',
    lectures: ['003_4a22df89ea6b79df.txt', '004_81774e87441c8ec3.txt'],
    override: {
      config: {
        task: { id: 'time-series', settings: { T: 100 } },
        model: { cell: 'rnn_tanh', hiddenSize: 32 },
        init: { scheme: 'glorot_orthogonal' },
        training: { optimizer: { kind: 'sgd', lr: 0.5, clipNorm: null, clipValue: null } },
      },
      views: { gradients: true },
    },
    contrast: { label: 'the same with the norm clipped at 1', override: { config: { training: { optimizer: { clipNorm: 1 } } } } },
  },
  {
    id: 'lstm-gate-by-gate',
    title: 'The LSTM, built gate by gate',
    text:
      'Start from the residual cell s^t = s^{t-1} + r^t, which never forgets: the error flows back unchanged, but every input is added in. ' +
      'An input gate decides whether the input overrides the state, a forget gate whether the state is remembered or forgotten, ' +
      'and an output gate whether the state is passed out.',
    lookAt: 'The equations view shows the cell with no gates; switch on i, then f, then o and watch the recall accuracy and the gate heatmaps as each gate learns to open and close.',
    lectures: ['000_fdfc07e96d4bfdf3.txt', '002_fa9aeecfbbdf8ef8.txt'],
    override: {
      config: { task: { id: 'copy' }, model: { lstm: { gates: { input: false, forget: false, output: false } } } },
      views: { equations: true, heatmaps: true },
    },
    contrast: { label: 'the full LSTM (all three gates)', override: { config: { model: { lstm: { gates: { input: true, forget: true, output: true } } } } } },
  },
  {
    id: 'bptt-window',
    title: 'The BPTT window',
    text:
      'Backpropagation uses the derivative from future outputs, and we need to put a limit on how long the gradient travels back in time: ' +
      'truncated BPTT cuts it every k steps, and memory for BPTT grows only with the window. A dependency longer than the window cannot be learnt from the gradient.',
    lookAt:
      'Copying 3 symbols after a delay of 5 (12 steps) with a window of 4: the gradient-over-time view shows ‖dL/dh_t‖ cut every 4 steps, the recall steps’ error never reaches the steps that showed the symbols, ' +
      'and recall stays at chance (1 in 8). With full BPTT (the contrast) recall climbs above a third within 600 steps.',
    lectures: ['002_fa9aeecfbbdf8ef8.txt', '000_fdfc07e96d4bfdf3.txt'],
    override: { config: { task: { id: 'copy' }, training: { window: 4 } }, views: { gradients: true } },
    contrast: { label: 'the same with full BPTT', override: { config: { training: { window: null } } } },
  },
  {
    id: 'bidirectional-tagging',
    title: 'Bidirectional RNNs for tagging',
    text:
      'A bidirectional RNN (Schuster and Paliwal) has two layers of hidden nodes, one reading the sequence forwards and one backwards, ' +
      'and the output at each step sees both. It must run on a finite sequence, but every tag can depend on what comes after it, as in POS tagging.',
    lookAt: 'The tagging accuracy against its causal limit, the best a unidirectional model can do: the bidirectional LSTM passes it; the contrast, unidirectional, cannot.',
    lectures: ['001_97dc3bf984c81244.txt', '002_fa9aeecfbbdf8ef8.txt'],
    override: { config: { task: { id: 'tagging' }, model: { bidirectional: true } }, views: { network: true } },
    contrast: { label: 'the same, unidirectional', override: { config: { model: { bidirectional: false } } } },
  },
  {
    id: 'teacher-forcing',
    title: 'Teacher forcing in sequence to sequence',
    text:
      'An encoder reads the whole source into its state and a decoder writes the target one symbol at a time from it, as in machine translation. ' +
      'During training we may use target values as input, s_t = h(x^t, y^{t-1}): the decoder reads the true previous symbol instead of its own guess, ' +
      'which trains faster but never shows it its own mistakes.',
    lookAt: 'Validation runs the decoder on its own outputs: compare its whole-sequence accuracy and the loss curves of this run, with teacher forcing throughout (r = 1), and the contrast, where the decoder always reads its own previous output (r = 0).',
    lectures: ['000_fdfc07e96d4bfdf3.txt', '002_fa9aeecfbbdf8ef8.txt'],
    override: { config: { task: { id: 'seq2seq', settings: { operation: 'reverse' } }, training: { teacherForcing: { kind: 'constant', ratio: 1 } } }, views: { output: true } },
    contrast: { label: 'the same without teacher forcing (r = 0)', override: { config: { training: { teacherForcing: { kind: 'constant', ratio: 0 } } } } },
  },
  {
    id: 'one-hot-vs-embedding',
    title: 'One-hot words or a learned embedding',
    text:
      'A one-hot vector puts every two different words at the same distance, but it is high-dimensional and sparse and needs many input weights. ' +
      'A word embedding is low-dimensional and dense, and learns which words are alike. With only a few hundred sentences, see which generalizes.',
    lookAt: 'Validation accuracy for the two encodings: on these 254 training sentences the one-hot model does better; the learned embedding (16 wide) fits the training set fast and overfits.',
    lectures: ['004_81774e87441c8ec3.txt', '002_fa9aeecfbbdf8ef8.txt'],
    override: { config: { task: { id: 'sentiment', settings: { encoding: 'one-hot' } } }, views: { loss: true } },
    contrast: { label: 'the same with a learned embedding', override: { config: { task: { settings: { encoding: 'embedding' } } } } },
  },
  {
    id: 'depth',
    title: 'Depth: stacking recurrent layers',
    text:
      'Instead of predicting an output through a single recurrent layer, we can pass its output features to another recurrent layer and build a deep recurrent model. ' +
      'With l layers the path the error propagates along grows by a factor of l, and each layer reads the features the one below has made.',
    lookAt: 'The network view with two stacked LSTM layers on the character model, and the validation loss against the one-layer contrast.',
    lectures: ['000_fdfc07e96d4bfdf3.txt', '003_4a22df89ea6b79df.txt'],
    override: { config: { task: { id: 'char-model' }, model: { numLayers: 2 } }, views: { network: true } },
    contrast: { label: 'the same with one layer', override: { config: { model: { numLayers: 1 } } } },
  },
];

/** The state a lesson opens. */
export function lessonState(lesson: Lesson): ShareState {
  return applyOverride(defaultState(lesson.override.config.task.id), lesson.override);
}

/** The state of a lesson's contrast (the lesson's own when it has none). */
export function contrastState(lesson: Lesson): ShareState {
  return lesson.contrast ? applyOverride(lessonState(lesson), lesson.contrast.override) : lessonState(lesson);
}

/** A lesson's link, as a hash without `#`. */
export function lessonHash(lesson: Lesson): string {
  return encodeHash(lessonState(lesson));
}

/** The link of a lesson's contrast, as a hash without `#`. */
export function contrastHash(lesson: Lesson): string {
  return encodeHash(contrastState(lesson));
}
