/**
 * Keyboard access to a graph of (t, row) nodes, the unrolled graph's and the encoder-decoder's
 * (whose t runs through the encoder's steps, then the decoder's): one tab stop for the whole graph (a roving tabindex:
 * the node last focused, else the selected one, else the first visible one, has tabIndex 0 and
 * every other −1); ←/→ move along the steps and ↑/↓ between the rows (layers and directions),
 * Home/End to the first and last step, moving the visible range when the focus leaves it;
 * Enter or Space selects the focused node, as a click does; Escape asks the page to close what
 * the selection opened.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { formatNumber, stepLabel } from './format.ts';

/** A row of the graph: one layer and direction. */
interface Row {
  layer: number;
  dir: number;
}

/** What the graph tells the hook. */
export interface GraphKeysOptions {
  /** Sequence length. */
  T: number;
  /** The graph's rows, bottom (layer 1) first. */
  rows: readonly Row[];
  /** The visible steps [start, end) (default: all T). */
  range?: readonly [number, number];
  /** Shows another range of steps (absent when every step is always shown). */
  setRange?: (range: [number, number]) => void;
  /** The selected node, where the focus starts. */
  selected?: { t: number; layer: number; dir: number } | null;
  /** Enter or Space on a node. */
  onSelect?: (t: number, layer: number, dir: number) => void;
  /** Escape while a node has focus. */
  onEscape?: () => void;
  /** CSS selector of the node at step t of a row, inside the svg (default: by its data-t, data-layer and data-dir). */
  nodeSelector?: (t: number, row: Row) => string;
}

/** What the graph wires to its nodes. */
export interface GraphKeys {
  /** The svg's ref (the hook focuses nodes inside it). */
  ref: RefObject<SVGSVGElement | null>;
  /** 0 for the graph's one tab stop, −1 for every other node. */
  tabIndex: (t: number, row: number) => 0 | -1;
  /** A node got focus (by Tab or a click): it becomes the tab stop. */
  onFocusNode: (t: number, row: number) => void;
  /** Key handler for the svg. */
  onKeyDown: (e: KeyboardEvent<SVGSVGElement>) => void;
}

/** A node's accessible name, e.g. "step 12, layer 1, forward: ‖h‖ = 0.53". */
export function nodeLabel(t: number, layer: number, dir: number, D: number, view: 'forward' | 'backward', value: number | undefined): string {
  const where = `step ${stepLabel(t)}, layer ${layer + 1}${D === 2 ? (dir === 0 ? ', forward' : ', reverse') : ''}`;
  return value === undefined ? where : `${where}: ${view === 'forward' ? '‖h‖' : '‖dL/dh‖'} = ${formatNumber(value)}`;
}

/** The unrolled graph's node at (t, row), by its data attributes. */
function byData(t: number, { layer, dir }: Row): string {
  return `[data-testid="graph-node"][data-t="${t}"][data-layer="${layer}"][data-dir="${dir}"]`;
}

/** Roving focus over the graph's (t, row) nodes. */
export function useGraphKeys({ T, rows, range = [0, T], setRange, selected, onSelect, onEscape, nodeSelector = byData }: GraphKeysOptions): GraphKeys {
  const ref = useRef<SVGSVGElement>(null);
  const [cursor, setCursor] = useState<{ t: number; r: number } | null>(null);
  /** A key moved the focus: the next render's node gets it. */
  const pending = useRef(false);
  const [start, end] = range;
  const selRow = selected ? rows.findIndex((row) => row.layer === selected.layer && row.dir === selected.dir) : -1;
  const inView = (c: { t: number; r: number } | null) => c !== null && c.t >= start && c.t < end && c.r >= 0 && c.r < rows.length;
  const fromSelected = selected && selRow >= 0 ? { t: selected.t, r: selRow } : null;
  const at = inView(cursor) ? cursor! : inView(fromSelected) ? fromSelected! : { t: start, r: 0 };

  useEffect(() => {
    if (!pending.current) return;
    pending.current = false;
    ref.current?.querySelector<SVGElement>(nodeSelector(at.t, rows[at.r]))?.focus();
  });

  const moveTo = (t: number, r: number) => {
    const len = end - start;
    if (t >= end) setRange?.([t + 1 - len, t + 1]);
    else if (t < start) setRange?.([t, t + len]);
    setCursor({ t, r });
    pending.current = true;
  };

  const onKeyDown = (e: KeyboardEvent<SVGSVGElement>) => {
    if ((e.target as Element).getAttribute('data-testid') !== 'graph-node') return;
    const { t, r } = at;
    const moves: Record<string, [number, number]> = {
      ArrowRight: [Math.min(T - 1, t + 1), r],
      ArrowLeft: [Math.max(0, t - 1), r],
      ArrowUp: [t, Math.min(rows.length - 1, r + 1)],
      ArrowDown: [t, Math.max(0, r - 1)],
      Home: [0, r],
      End: [T - 1, r],
    };
    if (e.key in moves) {
      e.preventDefault();
      moveTo(...moves[e.key]);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect?.(t, rows[r].layer, rows[r].dir);
    } else if (e.key === 'Escape' && onEscape) {
      e.preventDefault();
      onEscape();
    }
  };

  return {
    ref,
    tabIndex: (t, r) => (t === at.t && r === at.r ? 0 : -1),
    onFocusNode: (t, r) => setCursor({ t, r }),
    onKeyDown,
  };
}

/**
 * A graph tab's container and its inspector's close: clears the selection and gives the keyboard focus back to the graph's
 * cell that holds the tab stop (Escape on the graph or in the inspector, and the Close button).
 */
export function useCloseInspector(clear: () => void): { box: RefObject<HTMLDivElement | null>; close: () => void } {
  const box = useRef<HTMLDivElement>(null);
  const close = () => {
    clear();
    box.current?.querySelector<SVGElement>('[data-testid="graph-node"][tabindex="0"]')?.focus();
  };
  return { box, close };
}
