/**
 * Each equation of a gated cell (LSTM, GRU) with one unit's numbers from the walk substituted: the gates as
 * the record has them (i_t = σ(…) = 0.73) and the state updates evaluated from them the way
 * the engine forms them (c_t = f·c_{t−1} + i·g), so the results equal the record. The walk
 * keeps each gate after its activation, not the affine term W x + b inside it, so that term
 * stays symbolic; a gate the lectures' ladder removes is the constant 1.
 */
import type { ReactNode } from 'react';
import type { BpttWalk } from '../../engine/bpttWalk.ts';
import { cellDiagramValues, type DiagramAt } from '../../viz/cellDiagramValues.ts';
import { Num } from './Num.tsx';

/** Props of {@link SubstitutedEquations}. */
export interface SubstitutedEquationsProps {
  walk: BpttWalk;
  at: DiagramAt;
  /** The unit whose values are substituted. */
  unit: number;
}

/** The affine term of gate k, symbolic: W_ik x_t + b_ik + W_hk h_prev + b_hk. */
function Affine({ k, prev }: { k: string; prev: string }) {
  return (
    <>
      W<sub>i{k}</sub>x<sub>t</sub> + b<sub>i{k}</sub> + W<sub>h{k}</sub>h<sub>{prev}</sub> + b<sub>h{k}</sub>
    </>
  );
}

/** One equation line. */
function Line({ children }: { children: ReactNode }) {
  return <div className="nv-sub-line">{children}</div>;
}

/** The cell's equations for one unit. */
export function SubstitutedEquations({ walk, at, unit }: SubstitutedEquationsProps) {
  const r = cellDiagramValues(walk, at, unit);
  const v = (id: string) => r.get(id)!.value!;
  const prev = at.dir === 1 ? 't+1' : 't−1';
  const hPrev = v('hPrev');
  /** A σ gate's line: its value, or the constant 1 when the ladder removed it. */
  const sigmoidGate = (k: string, peep: ReactNode = null) =>
    r.get(k)!.removed ? (
      <Line key={k}>
        {k}
        <sub>t</sub> = 1 <span className="muted">(switched off by the ladder)</span>
      </Line>
    ) : (
      <Line key={k}>
        {k}
        <sub>t</sub> = σ(<Affine k={k} prev={prev} />
        {peep}) = <Num value={v(k)} testId={`insp-sub-${k}`} />
      </Line>
    );
  let lines: ReactNode[];
  if (walk.cell === 'lstm') {
    const peepholes = walk.dirs[at.layer * walk.D + at.dir].grads.peepholes !== null;
    const peep = (k: string, c: ReactNode) =>
      peepholes && !r.get(k)!.removed ? (
        <>
          {' '}
          + p<sub>{k}</sub>⊙{c}
        </>
      ) : null;
    const cPrevSym = (
      <>
        c<sub>{prev}</sub>
      </>
    );
    const [i, f, g, o, cPrev, c] = [v('i'), v('f'), v('g'), v('o'), v('cPrev'), v('c')];
    lines = [
      sigmoidGate('i', peep('i', cPrevSym)),
      sigmoidGate('f', peep('f', cPrevSym)),
      <Line key="g">
        g<sub>t</sub> = tanh(<Affine k="g" prev={prev} />) = <Num value={g} testId="insp-sub-g" />
      </Line>,
      <Line key="c">
        c<sub>t</sub> = f<sub>t</sub>·c<sub>{prev}</sub> + i<sub>t</sub>·g<sub>t</sub> = <Num value={f} /> · <Num value={cPrev} /> + <Num value={i} /> · <Num value={g} /> = <Num value={f * cPrev + i * g} testId="insp-sub-c" />
      </Line>,
      sigmoidGate(
        'o',
        peep(
          'o',
          <>
            c<sub>t</sub>
          </>,
        ),
      ),
      <Line key="h">
        h<sub>t</sub> = o<sub>t</sub>·tanh(c<sub>t</sub>) = <Num value={o} /> · tanh(<Num value={c} />) = <Num value={o * Math.tanh(c)} testId="insp-sub-h" />
      </Line>,
    ];
  } else if (walk.cell === 'gru') {
    const [rr, z, n] = [v('r'), v('z'), v('n')];
    lines = [
      sigmoidGate('r'),
      sigmoidGate('z'),
      <Line key="n">
        n<sub>t</sub> = tanh(W<sub>in</sub>x<sub>t</sub> + b<sub>in</sub> + r<sub>t</sub>⊙(W<sub>hn</sub>h<sub>{prev}</sub> + b<sub>hn</sub>)) = tanh(W<sub>in</sub>x<sub>t</sub> + b<sub>in</sub> + <Num value={rr} />
        ·(W<sub>hn</sub>h<sub>{prev}</sub> + b<sub>hn</sub>)) = <Num value={n} testId="insp-sub-n" />
      </Line>,
      <Line key="h">
        h<sub>t</sub> = (1 − z<sub>t</sub>)·n<sub>t</sub> + z<sub>t</sub>·h<sub>{prev}</sub> = (1 − <Num value={z} />) · <Num value={n} /> + <Num value={z} /> · <Num value={hPrev} /> = <Num value={(1 - z) * n + z * hPrev} testId="insp-sub-h" />
      </Line>,
    ];
  } else {
    throw new Error(`SubstitutedEquations: gated cells only (lstm, gru), not ${walk.cell}`);
  }
  return (
    <div className="nv-substituted" data-testid="insp-substituted">
      {lines}
      <p className="muted nv-sub-note">
        Unit {unit}. The walk keeps each gate after its activation, not the affine term inside it, so W x + b stays as symbols.
      </p>
    </div>
  );
}
