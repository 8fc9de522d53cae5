/** The top bar: play/pause, step, reset, the run's counters and numbers, and the backend with its switch. */
import { selectApplied, selectBackendChoice, selectInfo, selectStatus, selectStep, selectStepsPerSecond, selectTrainLoss, selectValidationLoss, selectValidationMetric, usePending } from '../store/selectors.ts';
import { useStore } from '../store/store.ts';
import type { BackendChoice } from '../train/protocol.ts';
import { formatCount, formatNumber } from './format.ts';
import { useSession } from './session.tsx';
import { LessonsMenu } from './share/LessonsMenu.tsx';
import { ShareMenu } from './share/ShareMenu.tsx';
import { WeightsMenu } from './share/WeightsMenu.tsx';

/** A 24x24 icon from one path. */
function Icon({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={d} />
    </svg>
  );
}

/** One labelled number. */
function Stat({ label, value, title, testId }: { label: string; value: string; title: string; testId: string }) {
  return (
    <div className="stat" title={title}>
      <span className="stat-label">{label}</span>
      <span className="stat-value" data-testid={testId}>
        {value}
      </span>
    </div>
  );
}

/** The bar across the top of the page. */
export function TopBar() {
  const session = useSession();
  const status = useStore(selectStatus);
  const step = useStore(selectStep);
  const info = useStore(selectInfo);
  const applied = useStore(selectApplied);
  const trainLoss = useStore(selectTrainLoss);
  const validationLoss = useStore(selectValidationLoss);
  const metric = useStore(selectValidationMetric);
  const stepsPerSecond = useStore(selectStepsPerSecond);
  const choice = useStore(selectBackendChoice);
  const pending = usePending();
  const ready = status === 'paused' || status === 'playing';
  const B = applied?.training.batchSize ?? 0;
  const epoch = info?.examplesPerEpoch ? ((step * B) / info.examplesPerEpoch).toFixed(2) : '—';
  const backendName = info ? (info.backend === 'webgpu' ? `WebGPU · ${info.name}` : 'CPU') : status === 'initialising' ? 'starting…' : '—';
  return (
    <header className="topbar">
      <h1 className="brand">RNN Playground</h1>
      <div className="transport" role="group" aria-label="Training">
        <button type="button" className="icon-button" onClick={() => void session.reset()} disabled={status === 'initialising'} title={pending.length ? 'Reset: build a new run with the changed settings (r)' : 'Reset to step 0 with the same seed (r)'} aria-label="Reset" aria-keyshortcuts="r" data-testid="reset">
          <Icon d="M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z" />
        </button>
        <button type="button" className="play-button" onClick={() => void session.togglePlay()} disabled={!ready} title={status === 'playing' ? 'Pause (space)' : 'Train at full speed (space)'} aria-label={status === 'playing' ? 'Pause' : 'Play'} aria-keyshortcuts="Space" data-testid="play">
          {status === 'playing' ? <Icon d="M6 5h4v14H6zM14 5h4v14h-4z" /> : <Icon d="M7 4l13 8-13 8z" />}
        </button>
        <button type="button" className="icon-button" onClick={() => void session.step()} disabled={!ready} title="One training step (n)" aria-label="Step" aria-keyshortcuts="n" data-testid="step-button">
          <Icon d="M5 4l10 8-10 8zM16 4h3v16h-3z" />
        </button>
      </div>
      <div className="stats" aria-live="off">
        <Stat label="step" value={formatCount(step)} title="Optimizer steps taken in this run" testId="step" />
        <Stat label="epoch" value={epoch} title={info?.examplesPerEpoch ? `Passes over the ${formatCount(info.examplesPerEpoch)} training examples` : 'This task draws fresh examples every step: there are no epochs'} testId="epoch" />
        <Stat label="train loss" value={formatNumber(trainLoss)} title="Loss of the latest training batch" testId="train-loss" />
        <Stat label="val. loss" value={formatNumber(validationLoss)} title="Loss on the validation set at the latest validation pass" testId="validation-loss" />
        <Stat label={info ? `${info.metric.name} (baseline ${formatNumber(info.metric.baseline.value)})` : 'metric'} value={formatNumber(metric)} title={info ? `${info.metric.better} is better. Baseline ${formatNumber(info.metric.baseline.value)}: ${info.metric.baseline.description}` : 'The task’s metric'} testId="metric" />
        <Stat label="steps/s" value={stepsPerSecond ? stepsPerSecond.toFixed(1) : '—'} title="Training steps per second over the last few seconds" testId="steps-per-second" />
      </div>
      <div className="backend">
        <span className={`backend-name backend-${info?.backend ?? 'none'}`} data-testid="backend" data-state={info?.backend ?? 'pending'} title={info?.cpuReason ? `WebGPU is not used: ${info.cpuReason}` : 'The compute backend training this run'}>
          {backendName}
        </span>
        <label className="visually-hidden" htmlFor="backend-choice">
          Backend
        </label>
        <select id="backend-choice" value={choice} disabled={status === 'initialising'} title="Train on WebGPU when the browser has it, or on the CPU reference engine; switching builds a new run" onChange={(e) => void session.setBackend(e.target.value as BackendChoice)}>
          <option value="auto">WebGPU</option>
          <option value="cpu">CPU</option>
        </select>
      </div>
      <LessonsMenu />
      <WeightsMenu />
      <ShareMenu />
    </header>
  );
}
