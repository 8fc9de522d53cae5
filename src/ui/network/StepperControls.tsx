/** The step-through's controls: first, back, play/pause, forward, last, speed and a timeline scrubber. */

/** Props of {@link StepperControls}. */
export interface StepperControlsProps {
  /** Cursor position in [0, count). */
  cursor: number;
  /** Positions: T forward steps then T backward steps. */
  count: number;
  /** Moves the cursor to a position (clamped by the caller). */
  onMove: (cursor: number) => void;
  /** Whether it plays. */
  playing: boolean;
  onPlayingChange: (playing: boolean) => void;
  /** Steps per second while playing. */
  speed: number;
  onSpeedChange: (speed: number) => void;
}

/** Buttons, the speed slider and the scrubber. */
export function StepperControls({ cursor, count, onMove, playing, onPlayingChange, speed, onSpeedChange }: StepperControlsProps) {
  return (
    <div className="nv-controls">
      <button type="button" onClick={() => onMove(0)} aria-label="First step" disabled={cursor === 0}>
        |◀
      </button>
      <button type="button" onClick={() => onMove(cursor - 1)} aria-label="Step back" disabled={cursor === 0} data-testid="step-back">
        ◀
      </button>
      <button type="button" onClick={() => onPlayingChange(!playing)} aria-label={playing ? 'Pause' : 'Play'} data-testid="stepper-play">
        {playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" onClick={() => onMove(cursor + 1)} aria-label="Step forward" disabled={cursor === count - 1} data-testid="step-forward">
        ▶
      </button>
      <button type="button" onClick={() => onMove(count - 1)} aria-label="Last step" disabled={cursor === count - 1}>
        ▶|
      </button>
      <label className="nv-speed">
        speed
        <input type="range" min={1} max={20} value={speed} onChange={(e) => onSpeedChange(Number(e.target.value))} aria-label="Steps per second" />
        {speed}/s
      </label>
      <input className="nv-scrubber" type="range" min={0} max={count - 1} value={cursor} onChange={(e) => onMove(Number(e.target.value))} aria-label="Timeline" data-testid="scrubber" />
    </div>
  );
}
