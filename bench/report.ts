/**
 * From the page's raw measurements to the report: derived rates (sequence-steps per second,
 * GFLOP/s, fraction of the matmul peak), the loss checks, and the tables printed (Markdown,
 * so they paste into the README as they are).
 */
import { CONFIGS, stepFlops, type Implementation, type Schedule, type Workload } from './configs.ts';
import type { Profile } from './page/profile.ts';
import type { AdapterReport, ImplResult, RunResult } from './page/benchPage.ts';
import type { MatmulRate } from './page/matmulPeak.ts';

/** Relative loss difference allowed between implementations of the same function after the run (float32 on both). */
export const LOSS_RTOL = 1e-2;

/** One implementation's row: the measurements and what follows from them. */
export interface Row extends ImplResult {
  /** B·T per second. */
  seqStepsPerSec: number;
  /** stepFlops / time. */
  gflops: number;
  /** gflops over the matmul peak (WebGPU rows only). */
  peakFraction: number | null;
}

/** Two implementations' losses compared. */
export interface LossCheck {
  a: Implementation;
  b: Implementation;
  relBefore: number;
  relAfter: number;
  /** Whether they must agree within LOSS_RTOL (false: not the same function, reported only). */
  required: boolean;
  pass: boolean;
  note: string;
}

/** One configuration's report. */
export interface ConfigReport {
  config: string;
  workload: Workload;
  /** FLOPs counted per training step: 3·F_fwd, F_fwd = 2·T·B·(G·H·(V + H) + H·V). */
  flopsPerStep: number;
  schedule: Schedule;
  rows: Row[];
  checks: LossCheck[];
  /** ours-webgpu / tfjs-webgpu and ours-cpu / tfjs-cpu speedups (time ratio), where both ran. */
  speedup: { webgpu: number | null; cpu: number | null };
  profile?: Profile;
}

/** The whole run, as written to the JSON file. */
export interface BenchReport {
  date: string;
  command: string;
  adapter: AdapterReport;
  node: string;
  matmul: { rates: MatmulRate[]; peakGflops: number };
  configs: ConfigReport[];
}

/** The pairs compared, in order. */
const PAIRS: [Implementation, Implementation][] = [
  ['ours-webgpu', 'tfjs-webgpu'],
  ['ours-cpu', 'tfjs-cpu'],
  ['ours-webgpu', 'ours-cpu'],
  ['tfjs-webgpu', 'tfjs-cpu'],
];

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** Derives one configuration's report from the page's result. */
export function configReport(run: RunResult, peakGflops: number, profile?: Profile): ConfigReport {
  const config = CONFIGS.find((c) => c.name === run.config)!;
  const { name, cell, hidden, batch, steps, vocab } = config;
  const workload = { name, cell, hidden, batch, steps, vocab };
  const flops = stepFlops(config);
  const rows: Row[] = run.results.map((r) => {
    const gflops = flops / (r.msPerStep * 1e6);
    return {
      ...r,
      seqStepsPerSec: (config.batch * config.steps) / (r.msPerStep / 1000),
      gflops,
      peakFraction: r.impl.endsWith('webgpu') ? gflops / peakGflops : null,
    };
  });
  const byImpl = new Map(rows.map((r) => [r.impl, r]));
  const checks: LossCheck[] = [];
  for (const [a, b] of PAIRS) {
    const ra = byImpl.get(a);
    const rb = byImpl.get(b);
    if (!ra || !rb) continue;
    const crossLibrary = a.startsWith('ours') !== b.startsWith('ours');
    const required = !(crossLibrary && config.cell === 'gru');
    const relAfter = rel(ra.lossAfter, rb.lossAfter);
    checks.push({
      a,
      b,
      relBefore: rel(ra.lossBefore, rb.lossBefore),
      relAfter,
      required,
      pass: !required || relAfter <= LOSS_RTOL,
      note: required ? `must agree within ${LOSS_RTOL}` : 'not expected to match: TF.js GRU applies the reset gate before the recurrent product (PyTorch after, with b_hn inside)',
    });
  }
  const ratio = (a: Implementation, b: Implementation) => {
    const ra = byImpl.get(a);
    const rb = byImpl.get(b);
    return ra && rb ? rb.msPerStep / ra.msPerStep : null;
  };
  return {
    config: config.name,
    workload,
    flopsPerStep: flops,
    schedule: run.schedule,
    rows,
    checks,
    speedup: { webgpu: ratio('ours-webgpu', 'tfjs-webgpu'), cpu: ratio('ours-cpu', 'tfjs-cpu') },
    profile,
  };
}

/** A number with `digits` significant digits, without exponent for the usual ranges. */
function sig(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(x)));
  return x.toFixed(Math.max(0, digits - 1 - magnitude));
}

/** A Markdown table. */
function table(header: string[], lines: string[][]): string {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [row(header), row(header.map(() => '---')), ...lines.map(row)].join('\n');
}

/** The results table: one row per configuration and implementation. */
export function resultsTable(report: BenchReport): string {
  const lines = report.configs.flatMap((c) =>
    c.rows.map((r) => [
      c.config,
      r.impl,
      sig(r.msPerStep),
      `${sig(Math.min(...r.blockMs))}–${sig(Math.max(...r.blockMs))}`,
      sig(r.seqStepsPerSec),
      sig(r.perStep.dispatches),
      sig(r.perStep.submits),
      sig(r.perStep.readbacks),
      sig(r.gflops),
      r.peakFraction === null ? '' : `${sig(100 * r.peakFraction, 2)}%`,
      `${r.lossBefore.toFixed(4)} → ${r.lossAfter.toFixed(4)}`,
    ]),
  );
  return table(
    ['config', 'implementation', 'ms/step', 'blocks min–max', 'seq-steps/s', 'dispatches/step', 'submits/step', 'readbacks/step', 'GFLOP/s', 'of matmul peak', 'loss (start → end)'],
    lines,
  );
}

/** Speedups and loss checks, one line each. */
export function summaryLines(report: BenchReport): string[] {
  const out: string[] = [];
  for (const c of report.configs) {
    const x = (v: number | null, target: number) => (v === null ? 'n/a' : `${sig(v)}x (target ≥ ${target}x)`);
    out.push(`${c.config}: ours-webgpu vs tfjs-webgpu ${x(c.speedup.webgpu, 3)}; ours-cpu vs tfjs-cpu ${x(c.speedup.cpu, 2)}`);
    for (const k of c.checks) {
      const verdict = k.required ? (k.pass ? 'ok' : 'FAIL') : 'info';
      out.push(`  loss ${k.a} vs ${k.b}: rel diff ${k.relBefore.toExponential(1)} at start, ${k.relAfter.toExponential(1)} after ${c.rows[0].stepsTaken} steps [${verdict}: ${k.note}]`);
    }
  }
  return out;
}

/** The `--profile` tables: phases and the costliest pipelines of this engine's step. */
export function profileLines(report: BenchReport): string[] {
  const out: string[] = [];
  for (const c of report.configs) {
    const p = c.profile;
    if (!p) continue;
    const w = p.webgpu;
    const ph = (t: { forward: number; backward: number; optimizer: number }) =>
      `forward ${sig(t.forward)} ms, backward ${sig(t.backward)} ms, optimizer ${sig(t.optimizer)} ms`;
    out.push(`${c.config} ours-cpu phases: ${ph(p.cpu)}`);
    out.push(
      `${c.config} ours-webgpu, ${w.isolatedOps} ops each in its own submission (each pays a ~${sig(w.roundTripMs)} ms round trip): ${ph(w.phases)}`,
    );
    for (const op of w.ops.slice(0, 8)) out.push(`    ${sig(op.ms)} ms  ${op.phase}  ${op.count} x ${op.label}`);
  }
  return out;
}
