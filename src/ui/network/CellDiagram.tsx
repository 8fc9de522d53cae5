/**
 * One cell of the walk drawn as the lectures draw it (src/viz/cellDiagram.ts lays it out):
 * gates as boxes filled by their value, pointwise operations as circles, the carried state
 * along the top, each part labelled with its symbol, its value (one unit's, or the vector's
 * norm) and its gradient from the same walk record (src/viz/cellDiagramValues.ts). Every
 * number carries its full value in `data-value`.
 */
import { useId } from 'react';
import type { BpttWalk } from '../../engine/bpttWalk.ts';
import { cellDiagramLayout, LINE_H, VIEW_H, VIEW_W, type DiagramNode, type DiagramWire, type LabelSpot, type Sym } from '../../viz/cellDiagram.ts';
import { cellDiagramValues, type DiagramAt, type DiagramPick, type DiagramReading } from '../../viz/cellDiagramValues.ts';
import { diverging, sequential } from '../../viz/palette.ts';
import { rgbBytes } from './colors.ts';
import { formatNumber } from './format.ts';
import './cellDiagram.css';

/** Props of {@link CellDiagram}. */
export interface CellDiagramProps {
  walk: BpttWalk;
  /** The cell: step t (0-based), layer, direction. */
  at: DiagramAt;
  /** One unit's values, or every vector's norm. */
  pick: DiagramPick;
  /** Layer 1's input at t as the walk labels it. */
  inputLabel?: string;
  /** Largest width in pixels (the drawing scales down to fit its container). */
  width?: number;
}

/** Fill of σ gates (and, in norms mode, every gate by its RMS ‖v‖/√H) on viridis 0..1. */
const unitFill = sequential(1);
/** Fill of tanh outputs on RdBu −1..1. */
const signedFill = diverging(1);

/** The diagram with its caption. */
export function CellDiagram({ walk, at, pick, inputLabel, width = VIEW_W }: CellDiagramProps) {
  const arrow = useId();
  const d = walk.dirs[at.layer * walk.D + at.dir];
  const peepholes = d.grads.peepholes !== null;
  const feedback = d.feedback ? { recurrent: d.feedback.recurrent, teacherForcing: d.feedback.teacherForcing } : undefined;
  const up = at.layer + 1 < walk.numLayers ? { base: `layer ${at.layer + 2}` } : undefined;
  const layout = cellDiagramLayout({ cell: walk.cell, gateNames: walk.gateNames, peepholes, dir: at.dir, up, feedback });
  const values = cellDiagramValues(walk, at, pick, inputLabel);
  const norms = pick === 'norm';
  const fill = (n: DiagramNode, v: number) => (norms ? unitFill(v / Math.sqrt(walk.hiddenSize)) : n.range === 'signed' ? signedFill(v) : unitFill(v));
  return (
    <figure className="nv-cell-diagram" data-testid="cell-diagram" data-cell={walk.cell} data-pick={String(pick)}>
      <svg viewBox={`0 0 ${VIEW_W} ${VIEW_H}`} style={{ maxWidth: width }} role="img" aria-label={`${layout.title} cell diagram, ${norms ? 'vector norms' : `unit ${pick}`}`}>
        <defs>
          <marker id={arrow} viewBox="0 0 8 8" refX="7" refY="4" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
            <path d="M0,0 L8,4 L0,8 z" className="nv-cd-arrow" />
          </marker>
        </defs>
        <rect className="nv-cd-body" x={layout.body.x} y={layout.body.y} width={layout.body.w} height={layout.body.h} rx={14} />
        {layout.wires.map((w) => (
          <Wire key={w.id} wire={w} marker={`url(#${CSS.escape(arrow)})`} />
        ))}
        {layout.joints.map(([x, y]) => (
          <circle key={`${x},${y}`} className="nv-cd-joint" cx={x} cy={y} r={2.5} />
        ))}
        {layout.nodes.map((n) => (
          <Part key={n.id} node={n} reading={values.get(n.id)} norms={norms} fill={fill} />
        ))}
        {layout.wires.map((w) => w.label && <Label key={w.id} spot={w.label} className="nv-cd-wire-label" lines={[<SymText key="s" sym={w.label} />]} />)}
      </svg>
      <figcaption className="muted">
        {layout.title}: boxes are layers (σ, tanh{walk.cell === 'rnn_relu' ? ', ReLU' : ''}), circles pointwise operations. Numbers: {norms ? 'the norm ‖·‖ of each vector' : `unit ${pick}'s values`}; <span className="nv-cd-grad">∇</span> the
        gradient on a wire, <span className="nv-cd-grad">δ</span> in a box the gradient of its pre-activation.{walk.cell === 'lstm' && walk.gateNames.length < 4 ? ' A gate the ladder removes is greyed: the constant 1.' : ''}
      </figcaption>
    </figure>
  );
}

/** A wire as a polyline (with a gap under it where it crosses the state path). */
function Wire({ wire, marker }: { wire: DiagramWire; marker: string }) {
  const points = wire.points.map((p) => p.join(',')).join(' ');
  return (
    <g data-testid={`cd-wire-${wire.id}`}>
      {wire.halo && <polyline className="nv-cd-halo" points={points} />}
      <polyline className={`nv-cd-wire nv-cd-${wire.kind}`} points={points} markerEnd={wire.arrow ? marker : undefined} />
    </g>
  );
}

/** Props of {@link Part}. */
interface PartProps {
  node: DiagramNode;
  reading: DiagramReading | undefined;
  norms: boolean;
  fill: (n: DiagramNode, v: number) => string;
}

/** A gate box, an operation's circle, or a port, with its numbers. */
function Part({ node: n, reading: r, norms, fill }: PartProps) {
  const title = <title>{`${n.title}${r ? readingText(n, r, norms) : ''}`}</title>;
  if (n.kind === 'gate') {
    const bg = r?.removed || r?.value === undefined ? null : fill(n, r.value);
    const ink = bg ? inkOn(bg) : undefined;
    return (
      <g data-testid={`cd-node-${n.id}`} data-removed={r?.removed ? 'true' : undefined} className={r?.removed ? 'nv-cd-gate nv-cd-removed' : 'nv-cd-gate'}>
        {title}
        <rect x={n.x - n.w / 2} y={n.y - n.h / 2} width={n.w} height={n.h} rx={4} style={bg ? { fill: bg } : undefined} />
        <text x={n.x} y={n.y - n.h / 2 + 14} textAnchor="middle" className="nv-cd-act" style={{ fill: ink }}>
          {r?.removed ? (
            <tspan data-testid={`cd-value-${n.id}`} data-value={1}>
              {n.symbol.base} = 1
            </tspan>
          ) : (
            n.text
          )}
        </text>
        {!r?.removed && r?.value !== undefined && (
          <text x={n.x} y={n.y + 4} textAnchor="middle" className="nv-cd-num" style={{ fill: ink }}>
            <Value id={n.id} v={r.value} />
          </text>
        )}
        {!r?.removed && r?.grad !== undefined && (
          <text x={n.x} y={n.y + 18} textAnchor="middle" className="nv-cd-num nv-cd-grad" style={{ fill: ink }}>
            δ <Value id={n.id} v={r.grad} grad />
          </text>
        )}
      </g>
    );
  }
  const lines = [];
  if (n.id === 'x') {
    lines.push(
      <>
        {r?.alwaysNorm ? '‖' : ''}
        <SymText sym={n.symbol} />
        {r?.alwaysNorm ? '‖' : ''} = {r?.text !== undefined ? r.text : <Value id={n.id} v={r!.value!} />}
      </>,
    );
  } else {
    lines.push(
      r?.alwaysNorm ? (
        <>
          ‖<SymText sym={n.symbol} />‖
        </>
      ) : (
        <SymText sym={n.symbol} />
      ),
    );
    if (r?.value !== undefined) lines.push(<Value id={n.id} v={r.value} />);
    if (r?.grad !== undefined)
      lines.push(
        <tspan className="nv-cd-grad">
          ∇ <Value id={n.id} v={r.grad} grad />
          {r.note === 'cut by the window' ? ' ✂' : ''}
        </tspan>,
      );
  }
  return (
    <g data-testid={`cd-node-${n.id}`} className={`nv-cd-${n.kind}`}>
      {title}
      {n.kind === 'op' &&
        (n.text === 'tanh' ? <ellipse cx={n.x} cy={n.y} rx={n.w / 2} ry={n.h / 2} /> : <circle cx={n.x} cy={n.y} r={n.w / 2} />)}
      {n.kind === 'op' && (
        <text x={n.x} y={n.y + 4} textAnchor="middle" className="nv-cd-optext">
          {n.text}
        </text>
      )}
      {n.kind === 'junction' && <circle className="nv-cd-joint" cx={n.x} cy={n.y} r={3} />}
      {n.label && <Label spot={n.label} lines={lines} />}
    </g>
  );
}

/** Lines of text from a spot, LINE_H apart, with a halo so wires beneath stay legible. */
function Label({ spot, lines, className = 'nv-cd-label' }: { spot: LabelSpot; lines: React.ReactNode[]; className?: string }) {
  return (
    <text className={className} x={spot.x} y={spot.y} textAnchor={spot.anchor}>
      {lines.map((line, k) => (
        <tspan key={k} x={spot.x} y={spot.y + k * LINE_H}>
          {line}
        </tspan>
      ))}
    </text>
  );
}

/** A symbol with its subscript. */
function SymText({ sym }: { sym: Sym }) {
  return (
    <>
      {sym.base}
      {sym.sub && (
        <tspan className="nv-cd-sub" baselineShift="-2.5">
          {sym.sub}
        </tspan>
      )}
    </>
  );
}

/** A number, formatted, with its full value for tests. */
function Value({ id, v, grad = false }: { id: string; v: number; grad?: boolean }) {
  return (
    <tspan data-testid={`cd-${grad ? 'grad' : 'value'}-${id}`} data-value={v}>
      {formatNumber(v)}
    </tspan>
  );
}

/** A reading in words for the tooltip, in full precision. */
function readingText(n: DiagramNode, r: DiagramReading, norms: boolean): string {
  const sym = `${n.symbol.base}${n.symbol.sub ? `_${n.symbol.sub}` : ''}`;
  const parts: string[] = [];
  if (r.removed) parts.push(`${sym} = 1 (switched off by the ladder)`);
  else if (r.value !== undefined) parts.push(`${norms || r.alwaysNorm ? `‖${sym}‖` : sym} = ${r.value}`);
  if (r.grad !== undefined) parts.push(`${norms ? `‖${r.gradName}‖` : r.gradName} = ${r.grad}`);
  if (r.note) parts.push(r.note);
  return parts.length ? `\n${parts.join('\n')}` : '';
}

/** Dark or light text, whichever reads on the background. */
function inkOn(bg: string): string {
  const [r, g, b] = rgbBytes(bg);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 140 ? '#1c2333' : '#ffffff';
}
