/**
 * The top bar's Weights button: download the run's checkpoint JSON, export
 * `model.safetensors` for PyTorch (with the snippet that loads it), and load either back.
 * A file is validated in full before the run is touched; a bad one gets a message naming
 * the problem and the model stays as it was.
 */
import { useRef, useState } from 'react';
import { pytorchIncompatibility } from '../../engine/model.ts';
import { checkpointFile, loadWeightsFile, safetensorsFile } from '../../store/shareWeights.ts';
import { useStore } from '../../store/store.ts';
import { useSession } from '../session.tsx';
import { download } from './download.ts';
import './share.css';

/** What docs/links.md shows for loading the export in PyTorch, shortened to the lines that matter. */
const PYTHON = `import json, torch
from torch import nn
from safetensors import safe_open
from safetensors.torch import load_file

tensors = load_file("model.safetensors")
with safe_open("model.safetensors", "pt") as f:
    cfg = json.loads(f.metadata()["model"])
rnn = nn.LSTM(cfg["inputSize"], cfg["hiddenSize"], cfg["numLayers"],  # or nn.GRU / nn.RNN
              batch_first=True, bidirectional=cfg["bidirectional"])
rnn.load_state_dict({k[4:]: v for k, v in tensors.items() if k.startswith("rnn.")})
head = nn.Linear(cfg["hiddenSize"] * (2 if cfg["bidirectional"] else 1), cfg["outputSize"])
head.load_state_dict({k[5:]: v for k, v in tensors.items() if k.startswith("head.")})`;

/** Weights button and its popover. */
export function WeightsMenu() {
  const session = useSession();
  const store = session.store;
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null);
  const info = useStore((s) => s.info);
  const applied = useStore((s) => s.applied);
  const input = useRef<HTMLInputElement>(null);
  const seq2seq = applied?.task.id === 'seq2seq';
  const noTorch = seq2seq ? 'the encoder-decoder (two networks) has no single PyTorch module here' : info ? pytorchIncompatibility(info.model) : 'no run is built yet';

  /** Runs an action, reporting its failure (or `done`) as text. */
  const act = async (action: () => Promise<void>, done: string) => {
    try {
      await action();
      setMessage({ text: done, ok: true });
    } catch (error) {
      setMessage({ text: error instanceof Error ? error.message : String(error), ok: false });
    }
  };

  return (
    <div className="share-menu">
      <button type="button" className="share-button" aria-expanded={open} aria-haspopup="dialog" onClick={() => { setOpen(!open); setMessage(null); }} title="Download, export or load the model's weights" data-testid="weights">
        Weights
      </button>
      {open && (
        <div className="share-popover weights-panel" role="dialog" aria-label="Weights" data-testid="weights-panel">
          <div className="share-row">
            <button type="button" disabled={seq2seq} onClick={() => void act(async () => download('rnn-playground-checkpoint.json', await checkpointFile(store, session)), 'Checkpoint downloaded.')} title={seq2seq ? 'The encoder-decoder’s weights cannot be saved yet' : 'The weights as checkpoint JSON (this page and the grad CLI read it)'} data-testid="download-checkpoint">
              Download checkpoint (.json)
            </button>
            <button type="button" disabled={noTorch !== null} onClick={() => void act(async () => download('model.safetensors', await safetensorsFile(store, session)), 'model.safetensors downloaded.')} title={noTorch ? `No PyTorch export: ${noTorch}` : 'model.safetensors with PyTorch tensor names (load it with the snippet below)'} data-testid="export-safetensors">
              Export model.safetensors
            </button>
          </div>
          {noTorch && (
            <p className="muted" data-testid="no-torch">
              No PyTorch export: {noTorch}.
            </p>
          )}
          <label htmlFor="weights-file">Load weights (.json checkpoint or .safetensors, at most 50 MB)</label>
          <input id="weights-file" ref={input} type="file" accept=".json,.safetensors,application/json" disabled={seq2seq} title="Replaces the model's weights after checking the file; the optimizer state and step are kept" data-testid="weights-file"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (file) void act(() => loadWeightsFile(store, session, file), `Loaded ${file.name}.`);
            }}
          />
          <p className={message?.ok === false ? 'share-problem' : 'muted'} role="status" data-testid="weights-message">
            {message?.text ?? ''}
          </p>
          <details>
            <summary>Load model.safetensors in PyTorch</summary>
            <pre className="python-snippet">{PYTHON}</pre>
          </details>
        </div>
      )}
    </div>
  );
}
