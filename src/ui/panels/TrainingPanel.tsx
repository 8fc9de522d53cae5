/** Training: optimizer and its numbers, learning rate, batch size, BPTT window and stateful, clipping, weight decay, seed. */
import { OPTIMIZER_KINDS, type OptimizerKind } from '../../engine/optimizer.ts';
import { TEACHER_FORCING, type TeacherForcingSchedule } from '../../train/config.ts';
import { isPending, selectSeed, selectTaskSettings, selectTraining, usePending, useTask } from '../../store/selectors.ts';
import { useStore } from '../../store/store.ts';
import { Field } from '../controls/Field.tsx';
import { Checkbox, LogSlider, Select, Slider } from '../controls/inputs.tsx';
import { Section } from './Section.tsx';

const OPTIMIZER_LABELS: Record<OptimizerKind, string> = { sgd: 'SGD', momentum: 'SGD with momentum', rmsprop: 'RMSprop', adam: 'Adam' };
const BATCH_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256];
const WEIGHT_DECAYS = [0, 1e-5, 1e-4, 1e-3, 1e-2];

/** How gradients are clipped. */
type Clipping = 'off' | 'norm' | 'value';

/** The Training section. */
export function TrainingPanel() {
  const task = useTask();
  const training = useStore(selectTraining);
  const seed = useStore(selectSeed);
  const settings = useStore(selectTaskSettings);
  const { setTraining, setOptimizer, setSeed } = useStore.getState();
  const pending = usePending();
  const o = training.optimizer;
  const clipping: Clipping = o.clipNorm !== null ? 'norm' : (o.clipValue ?? null) !== null ? 'value' : 'off';
  const threshold = o.clipNorm ?? o.clipValue ?? 1;
  const tSpec = task.info.settings.find((s) => s.key === 'T');
  const T = Number(settings.T ?? (tSpec?.kind === 'number' ? tSpec.default : 50));
  const setClipping = (kind: Clipping, value = threshold) => setOptimizer({ clipNorm: kind === 'norm' ? value : null, clipValue: kind === 'value' ? value : null });
  return (
    <Section id="training" title="Training" pending={isPending(pending, 'training', 'seed')}>
      <Select id="optimizer" label="Optimizer" help="The update rule; a new kind needs a reset (its state has another shape)" pending={isPending(pending, 'training.optimizer.kind')} value={o.kind} options={OPTIMIZER_KINDS.map((k) => ({ value: k, label: OPTIMIZER_LABELS[k] }))} onChange={(v) => setOptimizer({ kind: v as OptimizerKind })} />
      <LogSlider id="lr" label="Learning rate" help="Step size of each update (log scale); applies live" value={o.lr} min={1e-5} max={1} onChange={(lr) => setOptimizer({ lr })} />
      {o.kind === 'momentum' && <Slider id="momentum" label="Momentum μ" help="How much of the previous update each update keeps; applies live" value={o.momentum} min={0} max={0.99} step={0.01} onChange={(momentum) => setOptimizer({ momentum })} />}
      {o.kind === 'rmsprop' && <Slider id="alpha" label="Smoothing α" help="Decay of RMSprop's running mean of squared gradients; applies live" value={o.alpha} min={0.5} max={0.999} step={0.001} onChange={(alpha) => setOptimizer({ alpha })} />}
      {o.kind === 'adam' && (
        <>
          <Slider id="beta1" label="β₁" help="Adam's decay of the mean gradient; applies live" value={o.beta1} min={0} max={0.99} step={0.01} onChange={(beta1) => setOptimizer({ beta1 })} />
          <Slider id="beta2" label="β₂" help="Adam's decay of the mean squared gradient; applies live" value={o.beta2} min={0.9} max={0.9999} step={0.0001} onChange={(beta2) => setOptimizer({ beta2 })} />
        </>
      )}
      <Select id="batch" label="Batch size B" help="Examples per step; needs a reset (the GPU is built for one batch shape)" pending={isPending(pending, 'training.batchSize')} value={String(training.batchSize)} options={BATCH_SIZES.map((b) => ({ value: String(b), label: String(b) }))} onChange={(v) => setTraining({ batchSize: Number(v) })} />
      {task.kind === 'encoder-decoder' && <TeacherForcingControls schedule={training.teacherForcing ?? TEACHER_FORCING} onChange={(teacherForcing) => setTraining({ teacherForcing })} />}
      {task.kind === 'recurrent' && (
        <>
      <Checkbox id="truncate" label="Truncate BPTT" help="Cut the gradient every k steps back through time (truncated backpropagation through time); applies live" checked={training.window !== null} onChange={(on) => setTraining({ window: on ? Math.max(1, Math.min(T, 10)) : null })} />
      {training.window !== null && <Slider id="window" label="BPTT window k" help="Steps the gradient flows back before it is cut; applies live" value={training.window} min={1} max={Math.max(1, T)} step={1} onChange={(window) => setTraining({ window })} />}
      <Checkbox id="stateful" label="Stateful" help="Carry the hidden state from one batch to the next instead of starting from zero (use with contiguous windows of a stream); applies live" checked={training.stateful} onChange={(stateful) => setTraining({ stateful })} />
        </>
      )}
      <Select id="clipping" label="Gradient clipping" help="Off, rescale the whole gradient to a maximum norm, or clamp each component; applies live" value={clipping} options={[{ value: 'off', label: 'off' }, { value: 'norm', label: 'by global norm' }, { value: 'value', label: 'by value' }]} onChange={(v) => setClipping(v as Clipping)} />
      {clipping !== 'off' && <LogSlider id="clip" label={clipping === 'norm' ? 'Max norm' : 'Max |g|'} help="The clipping threshold; applies live" value={threshold} min={0.01} max={100} stepsPerDecade={10} onChange={(v) => setClipping(clipping, v)} />}
      <Select id="decay" label="Weight decay" help="L2 penalty added to every gradient (g + λ·p); applies live" value={String(o.weightDecay)} options={WEIGHT_DECAYS.map((w) => ({ value: String(w), label: w === 0 ? 'none' : String(w) }))} onChange={(v) => setOptimizer({ weightDecay: Number(v) })} />
      <Field id="seed" label="Seed" help="Seeds the data, the initial weights and dropout: the same seed repeats the run; needs a reset" pending={isPending(pending, 'seed')}>
        <div className="seed-row">
          <input id="seed" type="number" min={0} max={2 ** 31 - 1} step={1} value={seed} aria-describedby="seed-help" onChange={(e) => setSeed(Math.max(0, Math.floor(Number(e.target.value) || 0)))} />
          <button type="button" title="Draw a new random seed (then press reset)" onClick={() => setSeed(Math.floor(Math.random() * 1_000_000))}>
            Re-roll
          </button>
        </div>
      </Field>
    </Section>
  );
}

/** Scheduled sampling's shapes, as the lectures' teacher forcing generalised (Bengio et al. 2015). */
const SCHEDULES: { value: TeacherForcingSchedule['kind']; label: string }[] = [
  { value: 'constant', label: 'constant ratio' },
  { value: 'linear', label: 'linear decay (scheduled sampling)' },
  { value: 'inverse_sigmoid', label: 'inverse sigmoid decay' },
];

/** The encoder-decoder's teacher forcing: the probability r that the decoder reads the true previous symbol, by step. */
function TeacherForcingControls({ schedule, onChange }: { schedule: TeacherForcingSchedule; onChange: (s: TeacherForcingSchedule) => void }) {
  const pick = (kind: string) => {
    if (kind === 'constant') onChange({ kind: 'constant', ratio: 1 });
    else if (kind === 'linear') onChange({ kind: 'linear', start: 1, end: 0, steps: 300 });
    else onChange({ kind: 'inverse_sigmoid', k: 50 });
  };
  return (
    <>
      <Select id="tf-schedule" label="Teacher forcing" help="How often the decoder reads the true previous symbol instead of its own previous output while training (validation always runs free); applies live" value={schedule.kind} options={SCHEDULES} onChange={pick} />
      {schedule.kind === 'constant' && <Slider id="tf-ratio" label="Ratio r" help="1: always the true previous symbol (teacher forcing); 0: always the decoder's own output (free running); applies live" value={schedule.ratio} min={0} max={1} step={0.05} onChange={(ratio) => onChange({ kind: 'constant', ratio })} />}
      {schedule.kind === 'linear' && (
        <>
          <Slider id="tf-start" label="r at step 0" help="The ratio training starts with; applies live" value={schedule.start} min={0} max={1} step={0.05} onChange={(start) => onChange({ ...schedule, start })} />
          <Slider id="tf-end" label="r at the end" help="The ratio reached after the decay; applies live" value={schedule.end} min={0} max={1} step={0.05} onChange={(end) => onChange({ ...schedule, end })} />
          <Slider id="tf-steps" label="Decay steps" help="Steps over which r goes from its start to its end; applies live" value={schedule.steps} min={10} max={5000} step={10} onChange={(steps) => onChange({ ...schedule, steps })} />
        </>
      )}
      {schedule.kind === 'inverse_sigmoid' && <Slider id="tf-k" label="k" help="r = k / (k + exp(step / k)): larger k keeps teacher forcing longer; applies live" value={schedule.k} min={1} max={1000} step={1} onChange={(k) => onChange({ kind: 'inverse_sigmoid', k })} />}
    </>
  );
}
