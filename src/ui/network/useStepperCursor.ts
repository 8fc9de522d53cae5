/**
 * The cursor of a step-through (BpttStepper, Seq2SeqStepper): `count` positions, held here
 * unless the parent controls it, always clamped to [0, count). Playing moves it one position
 * per 1 / speed seconds and stops at the last; ←/→, Home/End move it when the stepper has focus.
 */
import { useEffect, useState } from 'react';
import type { StepperControlsProps } from './StepperControls.tsx';

/** What a stepper reads and wires from {@link useStepperCursor}. */
export interface StepperCursor {
  /** The position shown, in [0, count). */
  cursor: number;
  /** Moves to a position (clamped) and reports it to the parent. */
  move: (cursor: number) => void;
  /** The stepper's key handler. */
  onKey: (e: React.KeyboardEvent) => void;
  /** Props for StepperControls. */
  controls: StepperControlsProps;
}

/** A step-through's cursor over `count` positions; `cursor` from the parent when it controls it. */
export function useStepperCursor(count: number, cursorProp: number | undefined, onCursorChange?: (cursor: number) => void): StepperCursor {
  const [ownCursor, setOwnCursor] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(4);
  const cursor = Math.max(0, Math.min(count - 1, cursorProp ?? ownCursor));
  const move = (c: number) => {
    const next = Math.max(0, Math.min(count - 1, c));
    setOwnCursor(next);
    onCursorChange?.(next);
  };
  const atEnd = cursor >= count - 1;
  useEffect(() => {
    if (!playing || atEnd) return;
    const id = setTimeout(() => move(cursor + 1), 1000 / speed);
    return () => clearTimeout(id);
  });
  if (playing && atEnd) setPlaying(false);
  const onKey = (e: React.KeyboardEvent) => {
    const to = { ArrowLeft: cursor - 1, ArrowRight: cursor + 1, Home: 0, End: count - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    move(to);
  };
  return { cursor, move, onKey, controls: { cursor, count, onMove: move, playing, onPlayingChange: setPlaying, speed, onSpeedChange: setSpeed } };
}
