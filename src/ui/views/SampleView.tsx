/** The character model generating: a prompt, a temperature, and text sampled from the current weights (refreshed as it trains). */
import { useDeferredValue, useState } from 'react';
import type { SampleView as Sample } from '../../train/inspect.ts';
import { Slider } from '../controls/inputs.tsx';
import { useInspect } from './useInspect.ts';
import { ViewError } from './parts.tsx';

/** Characters generated after the prompt. */
const LENGTH = 240;

/** The sampling view. */
export function SampleView() {
  const [prompt, setPrompt] = useState('It is a truth ');
  const [temperature, setTemperature] = useState(0.7);
  const [seed, setSeed] = useState(1);
  // Defer the typed prompt only (a primitive: an object made during render would differ every time).
  const deferredPrompt = useDeferredValue(prompt);
  const { view, error } = useInspect<Sample>(deferredPrompt.length ? { kind: 'sample', prompt: deferredPrompt, temperature, length: LENGTH, seed } : null);
  return (
    <div className="view" data-testid="sample-view">
      <div className="sample-controls">
        <div className="field">
          <label htmlFor="prompt">Prompt</label>
          <input id="prompt" type="text" value={prompt} aria-describedby="prompt-help" title="Text the model reads first; sampling continues from it" onChange={(e) => setPrompt(e.target.value)} />
          <span id="prompt-help" className="visually-hidden">
            Text the model reads first; sampling continues from it
          </span>
        </div>
        <Slider id="temperature" label="Temperature" help="0 always takes the likeliest character; higher values sample more freely" value={temperature} min={0} max={2} step={0.05} onChange={setTemperature} format={(t) => t.toFixed(2)} />
        <button type="button" onClick={() => setSeed((s) => s + 1)} title="Draw another sample">
          Resample
        </button>
      </div>
      <p className="sample-text" data-testid="sample-text" aria-live="off">
        <span className="sample-prompt">{view?.prompt}</span>
        {view?.text}
      </p>
      <ViewError error={error} />
    </div>
  );
}
