/** Sentiment: a sentence box, and the model's belief after each word as it arrives (the many-to-one model run on every prefix). */
import { useDeferredValue, useState } from 'react';
import type { SentenceView as Sentence } from '../../train/inspect.ts';
import { useInspect } from './useInspect.ts';
import { ViewError } from './parts.tsx';

/** The sentence view. */
export function SentenceView() {
  const [text, setText] = useState('the room was not bad at all');
  const deferred = useDeferredValue(text);
  const { view, error } = useInspect<Sentence>(deferred.trim() ? { kind: 'sentence', text: deferred } : null);
  const positive = view ? Math.max(0, view.labels.indexOf('positive')) : 0;
  return (
    <div className="view" data-testid="sentence-view">
      <div className="field">
        <label htmlFor="sentence">Sentence</label>
        <input id="sentence" type="text" value={text} aria-describedby="sentence-help" title="Type a short review; the bars show the prediction after each word" onChange={(e) => setText(e.target.value)} />
        <span id="sentence-help" className="visually-hidden">
          Type a short review; the bars show the prediction after each word
        </span>
      </div>
      {view && (
        <ol className="words">
          {view.words.map((w, i) => {
            const p = view.probabilities[i][positive];
            return (
              <li key={i} className="word" title={view.labels.map((l, k) => `${l} ${(100 * view.probabilities[i][k]).toFixed(0)}%`).join(', ')}>
                <span className="word-bar" aria-hidden="true">
                  <span className={p >= 0.5 ? 'word-fill word-positive' : 'word-fill word-negative'} style={{ height: `${Math.round(Math.abs(p - 0.5) * 200)}%` }} />
                </span>
                <span className="word-text">{w}</span>
                <span className="word-p">{view.labels[p >= 0.5 ? positive : 1 - positive]?.slice(0, 3)} {(100 * Math.max(p, 1 - p)).toFixed(0)}%</span>
              </li>
            );
          })}
        </ol>
      )}
      <ViewError error={error} />
    </div>
  );
}
