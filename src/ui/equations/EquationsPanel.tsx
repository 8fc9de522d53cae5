/**
 * The chosen cell's equations rendered with KaTeX (HTML for the eye, MathML for screen
 * readers), beside a few sentences from the lectures on what the cell adds over the simpler one.
 */
import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useMemo } from 'react';
import type { LstmGates } from '../../engine/model.ts';
import { cellEquations, splitInlineMath, type CellVariant } from '../../viz/cellEquations.ts';
import '../theme.css';
import './equations.css';

/** Props of {@link EquationsPanel}. */
export interface EquationsPanelProps {
  /** The recurrent cell, named as the engine's CellType. */
  cell: CellVariant['cell'];
  /** LSTM: which gates exist (default all three); a missing gate is the constant 1. */
  gates?: LstmGates;
  /** LSTM: peephole connections from the cell state to the gates. */
  peepholes?: boolean;
  /** Vanilla RNN: Jordan output feedback; `recurrent: false` is the pure Jordan network; teacher forcing feeds targets. */
  outputFeedback?: CellVariant['outputFeedback'];
}

/** TeX source longer than this renders wider than about 420 CSS pixels at the panel's size. */
const LONG_TEX = 75;

/** TeX to HTML; KaTeX throws on a TeX error, which is a bug in cellEquations, not something to hide. */
function tex(source: string, displayMode: boolean): string {
  return katex.renderToString(source, { throwOnError: true, displayMode, output: 'htmlAndMathml' });
}

/** A paragraph of prose with its $…$ pieces typeset inline. */
function Prose({ text }: { text: string }) {
  return (
    <p>
      {splitInlineMath(text).map((seg, i) =>
        seg.math ? <span key={i} dangerouslySetInnerHTML={{ __html: tex(seg.text, false) }} /> : <span key={i}>{seg.text}</span>,
      )}
    </p>
  );
}

/** The equations of a cell and what it adds: stacked, or side by side when the panel is wide (a container query). */
export function EquationsPanel({ cell, gates, peepholes, outputFeedback }: EquationsPanelProps) {
  const eq = useMemo(() => cellEquations({ cell, gates, peepholes, outputFeedback }), [cell, gates, peepholes, outputFeedback]);
  const html = useMemo(() => eq.equations.map((e) => tex(e.tex, true)), [eq]);
  // A rough measure of the widest line, so narrow panels shrink only what would not fit.
  const long = Math.max(...eq.equations.map((e) => e.tex.length)) > LONG_TEX;
  return (
    <section className={`equations${long ? ' equations-long' : ''}`} aria-label={`${eq.title} equations`}>
      <h3 className="equations-title">{eq.title}</h3>
      <div className="equations-body">
        <div className="equations-math">
          {eq.equations.map((e, i) => (
            <div key={e.defines} className="equation" data-defines={e.defines} dangerouslySetInnerHTML={{ __html: html[i] }} />
          ))}
          <div className="equations-legend">
            <Prose text={eq.legend} />
          </div>
        </div>
        <div className="equations-prose">
          {eq.about.map((text) => (
            <Prose key={text} text={text} />
          ))}
          {eq.notes.map((text) => (
            <Prose key={text} text={text} />
          ))}
        </div>
      </div>
    </section>
  );
}
