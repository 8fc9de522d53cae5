/**
 * The network unrolled in time (lecture 002, "BPTT"): columns are steps t, rows are layers
 * (a second row per layer for the reverse direction), inputs x_t below, outputs y_t above (only
 * at the last step for many-to-one). Recurrent edges join neighbouring steps, vertical edges
 * join layers, and the head leads to the outputs. Truncated BPTT's windows are shaded and
 * its cuts marked (✂). Nodes are coloured by ‖h_t‖ (forward view) or ‖dL/dh_t‖ (backward view,
 * log scale: vanishing gradients span orders of magnitude), edges by the gradient along them.
 * A brush over a minimap picks the visible steps, so T = 200 stays readable. Jordan output
 * feedback adds curved edges y_{t-1} → h_t (FeedbackEdges.tsx); a pure Jordan network has no
 * recurrent edges.
 */
import { scaleBand } from 'd3';
import { useState } from 'react';
import { NormLegend } from './ColorLegend.tsx';
import { FeedbackEdges } from './FeedbackEdges.tsx';
import { logMagnitudeColor, magnitudeColor, maxAbsFinite, MISSING } from './colors.ts';
import { formatNumber, stepLabel } from './format.ts';
import { checkShape, cutBoundaries, feedbackSteps, graphRows, windowSpans, type GraphShape } from './graphLayout.ts';
import { StepBrush } from './StepBrush.tsx';
import { nodeLabel, useGraphKeys } from './useGraphKeys.ts';
import type { GraphNorms } from './walkNorms.ts';
import './network.css';

/** A node of the graph: step t of one layer and direction. */
export interface NodeRef {
  t: number;
  layer: number;
  dir: number;
}

/** Props of {@link UnrolledGraph}. */
export interface UnrolledGraphProps {
  /** The model's shape: layers, directions, T, output mode and window. */
  shape: GraphShape;
  /** `forward` colours nodes by ‖h_t‖; `backward` by ‖dL/dh_t‖ and edges by their gradient. */
  view: 'forward' | 'backward';
  /** Per-step norms (see walkGraphNorms, or StepMetrics.dhNorm as `nodes`); without them nodes are plain. */
  norms?: GraphNorms;
  /** The highlighted node. */
  selected?: NodeRef | null;
  /** Called when a node is clicked, with 0-based t. */
  onSelect?: (t: number, layer: number, dir: number) => void;
  /** Called on Escape while a node has keyboard focus (the page closes the cell inspector). */
  onEscape?: () => void;
  /** Visible steps [start, end); uncontrolled (first 40 steps) when absent. */
  range?: readonly [number, number];
  /** Called when the brush picks another range. */
  onRangeChange?: (range: [number, number]) => void;
  /** Width in pixels. */
  width?: number;
}

/** Decades of a backward view's log colour scale below its largest norm. */
const DECADES = 6;
const ROW_H = 46;
/** Fill of a node without a value (or, backward, with no gradient). */
const EMPTY = 'var(--color-surface, #fff)';
const LEFT = 64;
const RIGHT = 16;

/** The unrolled graph with its legend and brush. */
export function UnrolledGraph({ shape, view, norms, selected, onSelect, onEscape, range, onRangeChange, width = 760 }: UnrolledGraphProps) {
  checkShape(shape);
  const { T, window: k, outputMode } = shape;
  const [ownRange, setOwnRange] = useState<[number, number]>([0, Math.min(T, 40)]);
  const [start, end] = clampRange(range ?? ownRange, T);
  const setRange = (r: [number, number]) => {
    setOwnRange(r);
    onRangeChange?.(r);
  };
  const rows = graphRows(shape);
  const { ref: graphRef, tabIndex, onFocusNode, onKeyDown } = useGraphKeys({ T, rows, range: [start, end], setRange, selected, onSelect, onEscape });
  const D = shape.bidirectional ? 2 : 1;
  if (norms && norms.nodes.length !== rows.length) throw new RangeError(`UnrolledGraph: norms.nodes has ${norms.nodes.length} rows, the shape has ${rows.length}`);

  const steps = Array.from({ length: end - start }, (_, i) => start + i);
  const x = scaleBand<number>().domain(steps).range([LEFT, width - RIGHT]).paddingInner(steps.length > 80 ? 0.1 : 0.35).paddingOuter(0.2); // many steps: bigger nodes, shorter edges
  const bw = x.bandwidth();
  const node = Math.min(bw, 22);
  const cx = (t: number) => x(t)! + bw / 2;
  const top = 34; // legend above the outputs
  const yOut = top + 14;
  const yRow = (r: number) => yOut + ROW_H * (rows.length - r) + 8;
  const yIn = yRow(-1) - 8;
  const yAxis = yIn + 26;
  const yBrush = yAxis + 10;
  const height = yBrush + 30;

  const all = norms ? norms.nodes.flatMap((a) => Array.from(a)) : [];
  const hi = maxAbsFinite(all);
  const logColor = logMagnitudeColor(hi, DECADES);
  // Backward, a node no gradient reaches (cut by the window, or no output depends on it) is drawn hollow.
  const nodeColor = !norms ? () => EMPTY : view === 'forward' ? magnitudeColor(0, hi) : (v: number) => (v === 0 ? EMPTY : logColor(v));
  const edge = (v: number | undefined) =>
    view === 'backward' && v !== undefined
      ? { stroke: v > 0 ? logColor(v) : MISSING, strokeWidth: v > 0 ? 1 + 4 * Math.max(0, 1 + Math.log10(v / hi) / DECADES) : 0.75 }
      : { stroke: 'var(--color-border, #bbb)', strokeWidth: 1.25 };
  const inView = (t: number) => t >= start && t < end;
  const labelEvery = Math.ceil(28 / x.step()); // step labels at least 28 px apart
  const lineX = (b: number) => (x(b - 1)! + bw + x(b)!) / 2; // between columns b-1 and b

  return (
    <svg className="nv-graph" width={width} height={height} data-testid="unrolled-graph" data-visible-start={start} data-visible-end={end} role="group" aria-label="Unrolled network: arrow keys move between cells, Enter opens one" ref={graphRef} onKeyDown={onKeyDown}>
      {norms && (
        <NormLegend view={view} hi={hi} decades={DECADES} labels={['‖h_t‖', '‖dL/dh_t‖']} x={LEFT} y={6} />
      )}
      <text className="nv-caption" x={width - RIGHT} y={16} textAnchor="end">
        {k < T ? `BPTT window k = ${k}: shaded spans, ✂ cuts` : 'full BPTT'}
      </text>
      {rows.map(({ layer, dir }, r) => (
        <g key={r}>
          <text className="nv-row-label" x={LEFT - 8} y={yRow(r) + 4} textAnchor="end">
            {`layer ${layer + 1}${D === 2 ? (dir === 0 ? ' →' : ' ←') : ''}`}
          </text>
          {k < T &&
            windowSpans(T, k, dir).map(([a, b], i) =>
              i % 2 === 0 && b > start && a < end ? (
                <rect key={i} className="nv-window" x={x(Math.max(a, start))! - 3} y={yRow(r) - ROW_H / 2 + 4} width={x(Math.min(b, end) - 1)! + bw - x(Math.max(a, start))! + 6} height={ROW_H - 8} />
              ) : null,
            )}
        </g>
      ))}
      {shape.feedback && (
        <FeedbackEdges feedback={shape.feedback} steps={feedbackSteps(shape, start, end)} cx={cx} step={x.step()} yOut={yOut} yCell={yRow(0)} node={node} norms={view === 'backward' ? norms?.feedback : undefined} edge={edge} caption={{ x: width - RIGHT, y: 28 }} />
      )}
      {steps.map((t) => (
        <g key={t}>
          {/* input x_t into layer 1 (each direction) */}
          {rows.filter((n) => n.layer === 0).map(({ dir }) => <line key={`in${dir}`} x1={cx(t)} y1={yIn - 5} x2={cx(t)} y2={yRow(dir) + node / 2} {...edge(undefined)} />)}
          {/* layer l -> layer l+1, every direction pair; backward: the gradient arriving from above */}
          {rows.map(({ layer }, r) =>
            layer + 1 < shape.layers
              ? rows.filter((u) => u.layer === layer + 1).map((u) => <line key={`up${r}-${u.dir}`} x1={cx(t)} y1={yRow(r) - node / 2} x2={cx(t)} y2={yRow(u.layer * D + u.dir) + node / 2} {...edge(norms?.fromOutput?.[r][t])} />)
              : null,
          )}
          {/* the head */}
          {(outputMode === 'sequence' || t === T - 1) &&
            rows.filter((n) => n.layer === shape.layers - 1).map(({ dir }) => {
              const r = (shape.layers - 1) * D + dir;
              return <line key={`out${dir}`} x1={cx(t)} y1={yRow(r) - node / 2} x2={cx(t)} y2={yOut + 5} {...edge(norms?.fromOutput?.[r][t])} />;
            })}
          {/* recurrent edges to t+1; backward: the gradient from the next processed step */}
          {t + 1 < end &&
            shape.feedback?.recurrent !== false &&
            rows.map(({ dir }, r) => <line key={`rec${r}`} x1={cx(t) + node / 2} y1={yRow(r)} x2={cx(t + 1) - node / 2} y2={yRow(r)} {...edge(norms?.recurrent?.[r][dir === 0 ? t : t + 1])} />)}
          <circle className="nv-io" cx={cx(t)} cy={yIn} r={Math.min(5, bw / 2)} />
          {(outputMode === 'sequence' || t === T - 1) && <circle className="nv-io nv-out" cx={cx(t)} cy={yOut} r={Math.min(5, bw / 2)} />}
          {rows.map(({ layer, dir }, r) => {
            const v = norms?.nodes[r][t];
            const isSel = selected?.t === t && selected.layer === layer && selected.dir === dir;
            return (
              <rect
                key={`n${r}`}
                className={`nv-node${isSel ? ' nv-selected' : ''}`}
                x={cx(t) - node / 2}
                y={yRow(r) - node / 2}
                width={node}
                height={node}
                rx={Math.min(4, node / 4)}
                fill={v === undefined ? nodeColor(0) : nodeColor(v)}
                data-testid="graph-node"
                data-t={t}
                data-layer={layer}
                data-dir={dir}
                data-value={v}
                onClick={() => onSelect?.(t, layer, dir)}
                tabIndex={tabIndex(t, r)}
                role="button"
                aria-label={nodeLabel(t, layer, dir, D, view, v)}
                onFocus={() => onFocusNode(t, r)}
              >
                <title>{`t = ${stepLabel(t)}, layer ${layer + 1}${D === 2 ? (dir === 0 ? ' forward' : ' reverse') : ''}${v === undefined ? '' : `: ${view === 'forward' ? '‖h_t‖' : '‖dL/dh_t‖'} = ${formatNumber(v)}`}`}</title>
              </rect>
            );
          })}
          {t % labelEvery === 0 && (
            <text className="nv-axis" x={cx(t)} y={yAxis} textAnchor="middle">
              {stepLabel(t)}
            </text>
          )}
        </g>
      ))}
      {rows.map(({ dir }, r) =>
        k < T
          ? cutBoundaries(T, k, dir)
              .filter((b) => inView(b - 1) && inView(b))
              .map((b) => (
                <g key={`cut${r}-${b}`} className="nv-cut" data-testid="graph-cut">
                  <line x1={lineX(b)} x2={lineX(b)} y1={yRow(r) - ROW_H / 2 + 6} y2={yRow(r) + ROW_H / 2 - 6} />
                  <text x={lineX(b)} y={yRow(r) - ROW_H / 2 + 6} textAnchor="middle">
                    ✂
                  </text>
                </g>
              ))
          : null,
      )}
      <text className="nv-row-label" x={LEFT - 8} y={yOut + 4} textAnchor="end">
        {outputMode === 'last' ? 'y (last)' : 'y_t'}
      </text>
      <text className="nv-row-label" x={LEFT - 8} y={yIn + 4} textAnchor="end">
        x_t
      </text>
      <StepBrush
        T={T}
        range={[start, end]}
        onChange={setRange}
        x={LEFT}
        width={width - LEFT - RIGHT}
        y={yBrush}
        height={18}
        stepColor={norms ? (t) => nodeColor(Math.max(...norms.nodes.map((a) => a[t]))) : undefined}
      />
      <text className="nv-row-label" x={LEFT - 8} y={yBrush + 13} textAnchor="end">
        steps
      </text>
    </svg>
  );
}

/** A range clamped into [0, T) with at least one step. */
function clampRange([a, b]: readonly [number, number], T: number): [number, number] {
  const start = Math.max(0, Math.min(T - 1, Math.floor(a)));
  return [start, Math.max(start + 1, Math.min(T, Math.floor(b)))];
}
