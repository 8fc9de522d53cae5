/**
 * How far each decoder output's error reaches back through the encoder-decoder: ‖dℓ_u/dh_k‖ for
 * output u (rows, through </s>) at every encoder step t = 1..S and then every decoder step
 * (columns), one layer of both parts, on a log colour scale over six decades. ℓ_u reaches the
 * encoder only through the hand-over (h_S, marked between the parts), so the encoder's columns
 * fade leftwards from it as lecture 002's vanishing gradient says; in the decoder it reaches the
 * steps k ≤ u only (a lower triangle; grey: no gradient). Every cell carries its value in
 * data-value and its reading in a tooltip.
 */
import { useMemo } from 'react';
import type { Seq2SeqOutputReach } from '../../engine/outputReach.ts';
import { ColorLegend } from './ColorLegend.tsx';
import { logMagnitudeColor, maxAbsFinite, MISSING } from './colors.ts';
import { formatNumber, stepLabel } from './format.ts';
import { sub, type Seq2SeqLabels, type Seq2SeqPart } from './Seq2SeqGraph.tsx';
import './network.css';
import './seq2seq.css';

/** Props of {@link Seq2SeqReach}. */
export interface Seq2SeqReachProps {
  reach: Seq2SeqOutputReach;
  /** The layer shown, of both parts (0-based). */
  layer: number;
  /** The source symbols (encoder columns), decoder inputs (decoder columns) and targets (rows). */
  labels: Pick<Seq2SeqLabels, 'source' | 'decoderInputs' | 'targets'>;
  /** Width available, in pixels. */
  width: number;
}

/** Decades of the colour scale below the largest norm. */
const DECADES = 6;
const LEFT = 64;
/** The gap between the parts, where the hand-over is marked. */
const GAP = 18;
const TOP = 68;

/** The table as a grid of cells, encoder columns, the hand-over, decoder columns. */
export function Seq2SeqReach({ reach, layer, labels, width }: Seq2SeqReachProps) {
  const { rows: U, S } = reach;
  const enc = reach.encoder[layer];
  const dec = reach.decoder[layer];
  if (!enc || !dec) throw new RangeError(`Seq2SeqReach: layer ${layer + 1} is not among the table's ${reach.encoder.length} layers`);
  const hi = useMemo(() => Math.max(maxAbsFinite(enc), maxAbsFinite(dec)), [enc, dec]);
  const scale = logMagnitudeColor(hi, DECADES);
  const cell = Math.max(8, Math.min(24, Math.floor((width - LEFT - GAP - 8) / (S + U))));
  const x = (p: Seq2SeqPart, k: number) => LEFT + (p === 'encoder' ? k * cell : S * cell + GAP + k * cell);
  const y = (u: number) => TOP + u * cell;
  const xHand = LEFT + S * cell + GAP / 2;
  const height = y(U) + 20;
  const every = Math.ceil(16 / cell); // step numbers at least 16 px apart

  /** One part's columns: the symbol read above, the cells, the step number below. */
  const columns = (p: Seq2SeqPart) => {
    const T = p === 'encoder' ? S : U;
    const norms = p === 'encoder' ? enc : dec;
    const read = p === 'encoder' ? labels.source : labels.decoderInputs;
    return Array.from({ length: T }, (_, k) => (
      <g key={`${p}${k}`}>
        <text className="nv-s2s-symbol" x={x(p, k) + cell / 2} y={TOP - 5} textAnchor="middle">
          {read[k]}
        </text>
        {Array.from({ length: U }, (_, u) => {
          const v = norms[u * T + k];
          return (
            <rect key={u} x={x(p, k)} y={y(u)} width={cell - 1} height={cell - 1} fill={v === 0 ? MISSING : scale(v)} data-testid="reach-cell" data-part={p} data-u={u} data-k={k} data-value={v}>
              <title>{`output u = ${u + 1} (target ${labels.targets[u]}) → ${p} ${p === 'encoder' ? 't' : 'u'} = ${k + 1} (reads ${read[k]}): ‖dℓ_${u + 1}/dh‖ = ${formatNumber(v)}${v === 0 ? ' (none reaches it)' : ''}`}</title>
            </rect>
          );
        })}
        {k % every === 0 && (
          <text className="nv-axis" x={x(p, k) + cell / 2} y={y(U) + 12} textAnchor="middle">
            {stepLabel(k)}
          </text>
        )}
      </g>
    ));
  };

  return (
    <figure className="nv-reach" data-testid="seq2seq-reach" data-layer={layer}>
      <figcaption className="chart-title">
        ‖dℓ_u/dh_k‖ of this example, layer {layer + 1} of both parts: how far each decoder output’s error reaches back, through the hand-over into the encoder (grey: none)
      </figcaption>
      <svg className="nv-graph nv-s2s-reach" width={Math.max(LEFT + (S + U) * cell + GAP + 8, 300)} height={height}>
        <ColorLegend label="‖dℓ_u/dh_k‖" colorAt={(s) => scale(hi * 10 ** ((s - 1) * DECADES))} lo={hi * 10 ** -DECADES} hi={hi} note="log scale" x={LEFT} y={4} />
        <text className="nv-s2s-part" x={x('encoder', 0)} y={TOP - 20}>
          encoder t
        </text>
        <text className="nv-s2s-part" x={x('decoder', 0)} y={TOP - 20}>
          decoder u
        </text>
        {columns('encoder')}
        {columns('decoder')}
        <line className="nv-s2s-reach-handover" x1={xHand} x2={xHand} y1={TOP - 14} y2={y(U)} data-testid="reach-handover">
          <title>{`the hand-over h_${S}: every output reaches the encoder through it`}</title>
        </line>
        <text className="nv-s2s-reach-handover-label" x={xHand} y={y(U) + 12} textAnchor="middle">
          {`h${sub(S)}`}
        </text>
        {Array.from({ length: U }, (_, u) => (
          <text key={u} className="nv-row-label" x={LEFT - 6} y={y(u) + cell / 2 + 4} textAnchor="end">
            {`ℓ${sub(u + 1)} (${labels.targets[u]})`}
            <title>{`the loss of output u = ${u + 1}, whose target is ${labels.targets[u]}`}</title>
          </text>
        ))}
      </svg>
    </figure>
  );
}
