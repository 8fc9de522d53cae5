/**
 * TensorFlow.js behind the Runner interface: a Keras-style model (one recurrent layer with
 * returnSequences, a Dense head) on the `webgpu` or `cpu` backend, trained as TF.js code
 * usually is: gradients of softmaxCrossEntropy (mean over B·T, as PyTorch's), then Adam.
 * Gates use 'sigmoid' (TF.js's default recurrentActivation is hardSigmoid); the weights are
 * this engine's initial weights converted by kerasWeights.ts; Adam has the same settings.
 * A step's cost is not read until the end of a block, so steps pipeline as the app's do.
 *
 * One difference is parametrization, not arithmetic: PyTorch has two recurrent biases, b_ih
 * and b_hh, with the same gradient, so Adam moves each by the same u and their sum by 2u;
 * Keras has one bias b = b_ih + b_hh, which the same Adam moves by u. The bias therefore gets
 * its own Adam with twice the learning rate (2·lr·m̂/(√v̂ + eps) is exactly 2u), which makes
 * the two trajectories the same function of the same numbers.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { kerasWeights, type KerasWeight } from './kerasWeights.ts';
import type { Runner } from './runner.ts';
import type { WorkloadData } from './workload.ts';

/** The recurrent layer of each cell, with PyTorch's activations. */
function recurrentLayer(data: WorkloadData): tf.layers.Layer {
  const { cell, hidden: units, steps: T, vocab: V } = data.workload;
  // Zero initializers: the weights are set right after, and an orthogonal init would cost a QR here.
  // TF.js's GRU has only reset_after = false (see kerasWeights.ts).
  const common = { units, returnSequences: true, inputShape: [T, V], kernelInitializer: 'zeros' as const, recurrentInitializer: 'zeros' as const };
  if (cell === 'lstm') return tf.layers.lstm({ ...common, recurrentActivation: 'sigmoid' });
  if (cell === 'gru') return tf.layers.gru({ ...common, recurrentActivation: 'sigmoid' });
  return tf.layers.simpleRNN({ ...common, activation: 'tanh' });
}

/** Sets a layer's weights from converted arrays. */
function setWeights(layer: tf.layers.Layer, weights: KerasWeight[]): void {
  const tensors = weights.map((w) => tf.tensor(w.data, w.shape));
  layer.setWeights(tensors);
  tf.dispose(tensors);
}

/** TF.js on `backend`, which becomes (and stays) TF.js's current backend until another runner activates. */
export async function tfjsRunner(data: WorkloadData, backend: 'webgpu' | 'cpu'): Promise<Runner> {
  const activate = async () => {
    if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} failed to start`);
  };
  await activate();
  const { batch: B, steps: T, vocab: V } = data.workload;
  const rnn = recurrentLayer(data);
  const head = tf.layers.dense({ units: V });
  const model = tf.sequential({ layers: [rnn, head] });
  const converted = kerasWeights(data.workload.cell, data.params);
  setWeights(rnn, converted.rnn);
  setWeights(head, converted.head);
  const x = tf.tensor3d(Float32Array.from(data.batch.inputs!.data), [B, T, V]);
  const y = tf.tensor3d(data.targetsOneHot, [B, T, V]);
  const { lr, beta1, beta2, eps } = data.optimizer;
  const optimizer = tf.train.adam(lr, beta1, beta2, eps);
  const biasOptimizer = tf.train.adam(2 * lr, beta1, beta2, eps);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const bias = (rnn.weights[2].read() as tf.Variable).name; // weights: kernel, recurrent_kernel, bias
  const lossFn = () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
  /** One step: gradients of every variable, the recurrent bias updated by its own Adam. */
  const step = () => {
    const { value, grads } = tf.variableGrads(lossFn, variables);
    const named = Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));
    optimizer.applyGradients(named.filter((g) => g.name !== bias));
    biasOptimizer.applyGradients(named.filter((g) => g.name === bias));
    tf.dispose(grads);
    return value;
  };
  let last: tf.Scalar | null = null;
  const version = `TF.js ${tf.version.tfjs}`;
  return {
    impl: backend === 'webgpu' ? 'tfjs-webgpu' : 'tfjs-cpu',
    detail: `${version} ${backend}`,
    activate,
    train(n) {
      for (let i = 0; i < n; i++) {
        const cost = step();
        last?.dispose();
        last = cost;
      }
    },
    finish: async () => {
      if (last) await last.data();
    },
    loss: async () => {
      await activate();
      const loss = tf.tidy(lossFn);
      const [value] = await loss.data();
      loss.dispose();
      return value;
    },
    dispose() {
      last?.dispose();
      optimizer.dispose();
      biasOptimizer.dispose();
      model.dispose();
      tf.dispose([x, y]);
    },
  };
}
