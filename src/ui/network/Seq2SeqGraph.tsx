/**
 * The encoder-decoder unrolled (lecture 002's many-to-many "not synced": an encoder reads the
 * whole source, a decoder writes the target): encoder columns t = 1..S, then decoder columns
 * u = 1..U, rows are layers. The encoder's last state hands over to the decoder's first step
 * (one edge per layer, labelled). Below each decoder step the symbol it reads: <s>, the target
 * y*_{u-1} (teacher forced, dashed) or its own previous output ŷ_{u-1} (solid), with an edge from
 * the previous step's output; no gradient flows along those (the argmax is not differentiable).
 * Forward view: nodes by ‖h‖; backward: by ‖dL/dh‖ on one log scale through both parts, edges by
 * the gradient along them, the hand-over by the gradient crossing it (the decoder's dL/dh_S).
 */
import type { DecoderInputSource, Seq2SeqWalk } from '../../engine/seq2seqWalk.ts';
import { NormLegend } from './ColorLegend.tsx';
import { logMagnitudeColor, magnitudeColor, maxAbsFinite, MISSING } from './colors.ts';
import { formatNumber, stepLabel, vectorNorm } from './format.ts';
import { nodeLabel, useGraphKeys } from './useGraphKeys.ts';
import { walkGraphNorms } from './walkNorms.ts';
import './network.css';
import './seq2seq.css';

/** Which network of the encoder-decoder a cell belongs to. */
export type Seq2SeqPart = 'encoder' | 'decoder';

/** The symbols the graph writes: per encoder step, and per decoder step its input, target and output. */
export interface Seq2SeqLabels {
  source: readonly string[];
  decoderInputs: readonly string[];
  targets: readonly string[];
  predictions: readonly string[];
}

/** Props of {@link Seq2SeqGraph}. */
export interface Seq2SeqGraphProps {
  walk: Seq2SeqWalk;
  labels: Seq2SeqLabels;
  /** `forward` colours nodes by ‖h‖; `backward` by ‖dL/dh‖ and edges by their gradient. */
  view: 'forward' | 'backward';
  /** The highlighted cell. */
  selected?: { part: Seq2SeqPart; t: number; layer: number } | null;
  /** Called when a cell is clicked (or chosen with Enter or Space), with its part, 0-based step and layer. */
  onSelect?: (part: Seq2SeqPart, t: number, layer: number) => void;
  /** Called on Escape while a cell has keyboard focus (the page closes the cell inspector). */
  onEscape?: () => void;
  /** Width in pixels. */
  width?: number;
}

/** Decades of the backward view's log colour scale below its largest norm. */
const DECADES = 6;
const ROW_H = 46;
const LEFT = 64;
const RIGHT = 12;
const EMPTY = 'var(--color-surface, #fff)';
const SUB = '₀₁₂₃₄₅₆₇₈₉';

/** A whole number in subscript digits (1-based step labels). */
export function sub(n: number): string {
  return String(n).replace(/\d/g, (d) => SUB[Number(d)]);
}

/** What a decoder input is called: <s>, y*_{u-1} or ŷ_{u-1} (u 1-based, so index u for 0-based u). */
function inputName(source: DecoderInputSource, u: number): string {
  return source === 'start' ? 'start' : `${source === 'target' ? 'y*' : 'ŷ'}${sub(u)}`;
}

/** The encoder-decoder graph. */
export function Seq2SeqGraph({ walk, labels, view, selected, onSelect, onEscape, width = 760 }: Seq2SeqGraphProps) {
  const { encoder, decoder } = walk;
  const S = encoder.T;
  const U = decoder.T;
  const L = encoder.numLayers;
  const enc = walkGraphNorms(encoder, view);
  const dec = walkGraphNorms(decoder, view);
  // Keyboard: one axis through the encoder's steps, then the decoder's (→ from t = S goes to u = 1); rows are layers.
  const at = (p: Seq2SeqPart, t: number) => (p === 'encoder' ? t : S + t);
  const { ref: graphRef, tabIndex, onFocusNode, onKeyDown } = useGraphKeys({
    T: S + U,
    rows: Array.from({ length: L }, (_, layer) => ({ layer, dir: 0 })),
    selected: selected && { t: at(selected.part, selected.t), layer: selected.layer, dir: 0 },
    onSelect: onSelect && ((i, layer) => (i < S ? onSelect('encoder', i, layer) : onSelect('decoder', i - S, layer))),
    onEscape,
    nodeSelector: (i, { layer }) => `[data-testid="graph-node"][data-part="${i < S ? 'encoder' : 'decoder'}"][data-t="${i < S ? i : i - S}"][data-layer="${layer}"]`,
  });
  const handOverNorms = walk.handOver.h.map((h, l) => (view === 'forward' ? vectorNorm(h) : vectorNorm(walk.handOverGrad.h[l])));

  // Columns: the encoder's S steps, a gap for the hand-over, the decoder's U steps.
  const columns = S + 1 + U;
  const step = (width - LEFT - RIGHT) / columns;
  const colX = (part: Seq2SeqPart, t: number) => LEFT + step * ((part === 'encoder' ? t : S + 1 + t) + 0.5);
  const node = Math.max(6, Math.min(22, step * 0.55));
  const yTarget = 50;
  const yPred = 64;
  const yOut = 78;
  const yRow = (l: number) => yOut + ROW_H * (L - l) + 4;
  const yIn = yRow(-1) - 4;
  const yInLabel = yIn + 17;
  const yInKind = yIn + 31;
  const yAxis = yIn + 47;
  const yPart = yAxis + 17;
  const height = yPart + 6;

  const hi = maxAbsFinite([...enc.nodes, ...dec.nodes].flatMap((a) => Array.from(a)));
  const logColor = logMagnitudeColor(hi, DECADES);
  const nodeColor = view === 'forward' ? magnitudeColor(0, hi) : (v: number) => (v === 0 ? EMPTY : logColor(v));
  const edge = (v: number | undefined) =>
    view === 'backward' && v !== undefined
      ? { stroke: v > 0 ? logColor(v) : MISSING, strokeWidth: v > 0 ? 1 + 4 * Math.max(0, 1 + Math.log10(v / hi) / DECADES) : 0.75 }
      : { stroke: 'var(--color-border, #bbb)', strokeWidth: 1.25 };
  const labelEvery = Math.ceil(22 / step);

  /** One part's cells, recurrent edges, edges between layers and inputs. */
  const part = (p: Seq2SeqPart) => {
    const T = p === 'encoder' ? S : U;
    const norms = p === 'encoder' ? enc : dec;
    const inputs = p === 'encoder' ? labels.source : labels.decoderInputs;
    return Array.from({ length: T }, (_, t) => {
      const cx = colX(p, t);
      return (
        <g key={`${p}${t}`}>
          <line x1={cx} y1={yIn - 5} x2={cx} y2={yRow(0) + node / 2} {...edge(undefined)} />
          {Array.from({ length: L - 1 }, (_, l) => (
            <line key={`up${l}`} x1={cx} y1={yRow(l) - node / 2} x2={cx} y2={yRow(l + 1) + node / 2} {...edge(norms.fromOutput?.[l][t])} />
          ))}
          {p === 'decoder' && <line x1={cx} y1={yRow(L - 1) - node / 2} x2={cx} y2={yOut + 5} {...edge(norms.fromOutput?.[L - 1][t])} />}
          {t + 1 < T &&
            Array.from({ length: L }, (_, l) => (
              <line key={`rec${l}`} x1={cx + node / 2} y1={yRow(l)} x2={colX(p, t + 1) - node / 2} y2={yRow(l)} {...edge(norms.recurrent?.[l][t])} />
            ))}
          <circle className="nv-io" cx={cx} cy={yIn} r={Math.min(5, step / 3)} />
          <text className={`nv-s2s-symbol${p === 'decoder' ? ` nv-s2s-in-${walk.inputSource[t]}` : ''}`} x={cx} y={yInLabel} textAnchor="middle" data-testid={p === 'decoder' ? 'decoder-input' : 'source-symbol'} data-t={t} data-source={p === 'decoder' ? walk.inputSource[t] : undefined}>
            {inputs[t]}
            <title>{p === 'encoder' ? `x${sub(t + 1)} = ${inputs[t]}${t >= walk.sourceLength ? ' (padding, read as the encoder reads it)' : ''}` : decoderInputTitle(walk.inputSource[t], t, inputs[t])}</title>
          </text>
          {p === 'decoder' && (
            <text className={`nv-s2s-kind nv-s2s-in-${walk.inputSource[t]}`} x={cx} y={yInKind} textAnchor="middle">
              {inputName(walk.inputSource[t], t)}
            </text>
          )}
          {Array.from({ length: L }, (_, l) => {
            const v = norms.nodes[l][t];
            const isSel = selected?.part === p && selected.t === t && selected.layer === l;
            return (
              <rect
                key={`n${l}`}
                className={`nv-node${isSel ? ' nv-selected' : ''}`}
                x={cx - node / 2}
                y={yRow(l) - node / 2}
                width={node}
                height={node}
                rx={Math.min(4, node / 4)}
                fill={nodeColor(v)}
                data-testid="graph-node"
                data-part={p}
                data-t={t}
                data-layer={l}
                data-value={v}
                onClick={() => onSelect?.(p, t, l)}
                tabIndex={tabIndex(at(p, t), l)}
                role="button"
                aria-label={`${p} ${nodeLabel(t, l, 0, 1, view, v)}`}
                onFocus={() => onFocusNode(at(p, t), l)}
              >
                <title>{`${p} ${p === 'encoder' ? 't' : 'u'} = ${stepLabel(t)}, layer ${l + 1}: ${view === 'forward' ? '‖h‖' : '‖dL/dh‖'} = ${formatNumber(v)}`}</title>
              </rect>
            );
          })}
          {t % labelEvery === 0 && (
            <text className="nv-axis" x={cx} y={yAxis} textAnchor="middle">
              {stepLabel(t)}
            </text>
          )}
        </g>
      );
    });
  };

  const xHand = [colX('encoder', S - 1) + node / 2, colX('decoder', 0) - node / 2];
  return (
    <svg className="nv-graph nv-s2s-graph" width={width} height={height} data-testid="seq2seq-graph" role="group" aria-label="Encoder-decoder unrolled: arrow keys move between cells (→ from the encoder's last step to the decoder's first), Enter opens one" ref={graphRef} onKeyDown={onKeyDown}>
      <NormLegend view={view} hi={hi} decades={DECADES} labels={['‖h‖', '‖dL/dh‖']} x={LEFT} y={6} />
      <text className="nv-caption" x={width - RIGHT} y={32} textAnchor="end" data-testid="graph-teacher-forcing" data-value={walk.teacherForcing.ratio}>
        {`teacher forcing r = ${formatNumber(walk.teacherForcing.ratio)}`}
      </text>
      {Array.from({ length: L }, (_, l) => (
        <text key={l} className="nv-row-label" x={LEFT - 8} y={yRow(l) + 4} textAnchor="end">
          {`layer ${l + 1}`}
        </text>
      ))}
      <text className="nv-row-label" x={LEFT - 8} y={yTarget + 4} textAnchor="end">
        y*
      </text>
      <text className="nv-row-label" x={LEFT - 8} y={yPred + 4} textAnchor="end">
        ŷ
      </text>
      <text className="nv-row-label" x={LEFT - 8} y={yInLabel} textAnchor="end">
        input
      </text>
      {/* The decoder's outputs: target y*_u above its argmax ŷ_u, which turns red where they differ. */}
      {Array.from({ length: U }, (_, u) => {
        const cx = colX('decoder', u);
        const wrong = labels.predictions[u] !== labels.targets[u];
        return (
          <g key={`out${u}`}>
            <text className="nv-s2s-target" x={cx} y={yTarget + 4} textAnchor="middle">
              {labels.targets[u]}
            </text>
            <text className={`nv-s2s-symbol${wrong ? ' nv-s2s-wrong' : ''}`} x={cx} y={yPred + 4} textAnchor="middle" data-testid="decoder-output" data-t={u}>
              {labels.predictions[u]}
              <title>{`ŷ${sub(u + 1)} = ${labels.predictions[u]} (target y*${sub(u + 1)} = ${labels.targets[u]})`}</title>
            </text>
            <circle className="nv-io nv-out" cx={cx} cy={yOut} r={Math.min(5, step / 3)} />
          </g>
        );
      })}
      {/* What each decoder step reads after the first: the previous target or the previous output, fed to the next input. */}
      {Array.from({ length: U - 1 }, (_, i) => {
        const u = i + 1;
        const source = walk.inputSource[u];
        // From beside the previous step's target (teacher forced) or output circle, down to this step's input.
        const [x1, y1, x2, y2] = [colX('decoder', u - 1) + (source === 'target' ? 8 : 5), source === 'target' ? yTarget : yOut, colX('decoder', u) - 4, yIn - 5];
        const bend = step * 0.9;
        return (
          <path
            key={`fb${u}`}
            className={`nv-s2s-feed nv-s2s-in-${source}`}
            d={`M ${x1} ${y1} C ${x1 + bend} ${y1 + 30}, ${x2 - bend} ${y2 - 30}, ${x2} ${y2}`}
            data-testid="feedback-edge"
            data-t={u}
            data-source={source}
          >
            <title>{`${source === 'target' ? `teacher forced: the target y*${sub(u)}` : `its own output ŷ${sub(u)} (argmax)`} is the input at u = ${u + 1}; no gradient flows along this edge`}</title>
          </path>
        );
      })}
      {/* The hand-over: the encoder's final state is the decoder's initial state, layer by layer. */}
      {Array.from({ length: L }, (_, l) => (
        <line
          key={`ho${l}`}
          className={`nv-s2s-handover-${view}`}
          x1={xHand[0]}
          y1={yRow(l)}
          x2={xHand[1]}
          y2={yRow(l)}
          {...(view === 'backward' ? { ...edge(handOverNorms[l]), strokeWidth: edge(handOverNorms[l]).strokeWidth + 1.5 } : {})}
          data-testid="handover-edge"
          data-layer={l}
          data-value={handOverNorms[l]}
        >
          <title>{`hand-over, layer ${l + 1}: ${view === 'forward' ? `‖h_S‖ = ${formatNumber(handOverNorms[l])}` : `‖dL/dh_S‖ = ${formatNumber(handOverNorms[l])} from the decoder into the encoder`}${walk.handOver.c ? (view === 'forward' ? `, ‖c_S‖ = ${formatNumber(vectorNorm(walk.handOver.c[l]))}` : `, ‖dL/dc_S‖ = ${formatNumber(vectorNorm(walk.handOverGrad.c![l]))}`) : ''}`}</title>
        </line>
      ))}
      <text className="nv-s2s-handover-label" x={(xHand[0] + xHand[1]) / 2} y={yRow(L - 1) - ROW_H / 2 - 4} textAnchor="middle">
        hand-over
      </text>
      <text className="nv-s2s-handover-label" x={(xHand[0] + xHand[1]) / 2} y={yRow(L - 1) - ROW_H / 2 + 9} textAnchor="middle" data-testid="handover-label">
        {view === 'forward' ? `h${sub(S)} →` : `← dL/dh${sub(S)}`}
      </text>
      {part('encoder')}
      {part('decoder')}
      <text className="nv-row-label" x={LEFT - 8} y={yAxis} textAnchor="end">
        step
      </text>
      <text className="nv-s2s-part" x={(colX('encoder', 0) + colX('encoder', S - 1)) / 2} y={yPart} textAnchor="middle">
        encoder t = 1..{S}
      </text>
      <text className="nv-s2s-part" x={(colX('decoder', 0) + colX('decoder', U - 1)) / 2} y={yPart} textAnchor="middle">
        decoder u = 1..{U}
      </text>
    </svg>
  );
}

/** A decoder input's tooltip. */
function decoderInputTitle(source: DecoderInputSource, u: number, symbol: string): string {
  if (source === 'start') return `u = 1 reads the start symbol ${symbol}`;
  return source === 'target' ? `u = ${u + 1} reads the target y*${sub(u)} = ${symbol} (teacher forced)` : `u = ${u + 1} reads its own output ŷ${sub(u)} = ${symbol}`;
}
