/**
 * `npm run bench`: this engine against TensorFlow.js, side by side in one headless Chromium
 * page on one WebGPU adapter (SwiftShader where there is no GPU). A benchmark, not a test:
 * it prints tables and writes the JSON to bench/results/<date>-<adapter>.json; it exits 1
 * only when losses that must agree do not (or the run fails).
 *
 *   npm run bench -- [--quick] [--config NAME]... [--impl LIST] [--warmup N] [--blocks N]
 *                    [--per-block N] [--matmul-sizes LIST] [--matmul-reps N] [--profile] [--out FILE]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { withPageModule, type CallExport } from '../src/cli/webgpuPage.ts';
import { CONFIGS, IMPLEMENTATIONS, type Implementation, type Schedule } from './configs.ts';
import type { AdapterReport, RunRequest, RunResult } from './page/benchPage.ts';
import type { MatmulRate } from './page/matmulPeak.ts';
import type { Profile } from './page/profile.ts';
import { configReport, profileLines, resultsTable, summaryLines, type BenchReport, type ConfigReport } from './report.ts';

const USAGE = `npm run bench -- [--quick] [--config NAME]... [--impl ${IMPLEMENTATIONS.join(',')}] [--warmup N] [--blocks N] [--per-block N] [--matmul-sizes 512,1024] [--matmul-reps N] [--profile] [--out FILE]
configs: ${CONFIGS.map((c) => c.name).join(', ')}`;

/** The page module, by URL under the repository root. */
const PAGE = '/bench/page/benchPage.ts';

/** Parsed flags. */
interface Options {
  configs: string[];
  implementations: Implementation[];
  quick: boolean;
  override: Partial<Schedule>;
  matmulSizes: number[];
  matmulReps: number;
  profile: boolean;
  out: string | null;
}

/** A positive integer flag, or a usage error. */
function positive(flag: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag}: expected an integer ≥ ${min}, got ${value}`);
  return n;
}

class UsageError extends Error {}

function readOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      config: { type: 'string', multiple: true },
      impl: { type: 'string' },
      warmup: { type: 'string' },
      blocks: { type: 'string' },
      'per-block': { type: 'string' },
      'matmul-sizes': { type: 'string' },
      'matmul-reps': { type: 'string' },
      profile: { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) throw new UsageError('');
  const configs = (values.config ?? CONFIGS.map((c) => c.name)).flatMap((c) => c.split(','));
  for (const name of configs) if (!CONFIGS.some((c) => c.name === name)) throw new UsageError(`--config: unknown config ${name}`);
  const implementations = (values.impl?.split(',') ?? [...IMPLEMENTATIONS]) as Implementation[];
  for (const impl of implementations) if (!IMPLEMENTATIONS.includes(impl)) throw new UsageError(`--impl: unknown implementation ${impl}`);
  const sizes = values['matmul-sizes']?.split(',').map((s) => positive('matmul-sizes', s)!) ?? (values.quick ? [512] : [512, 1024]);
  return {
    configs,
    implementations,
    quick: values.quick,
    override: {
      warmup: positive('warmup', values.warmup, 0),
      blocks: positive('blocks', values.blocks),
      perBlock: positive('per-block', values['per-block']),
    },
    matmulSizes: sizes,
    matmulReps: positive('matmul-reps', values['matmul-reps']) ?? (values.quick ? 2 : 3),
    profile: values.profile,
    out: values.out ?? null,
  };
}

/** The schedule of one config: its own (or quick) one, with the flags' overrides. */
function scheduleOf(name: string, options: Options): Schedule {
  const config = CONFIGS.find((c) => c.name === name)!;
  const base = options.quick ? config.quick : config.schedule;
  const o = options.override;
  return { warmup: o.warmup ?? base.warmup, blocks: o.blocks ?? base.blocks, perBlock: o.perBlock ?? base.perBlock };
}

/** Runs everything in the page and builds the report. */
async function measure(call: CallExport, options: Options, command: string): Promise<BenchReport> {
  const adapter = await call<AdapterReport>('adapterReport');
  console.error(`[bench] adapter: ${adapter.name}`);
  const rates = await call<MatmulRate[]>('matmulPeak', { sizes: options.matmulSizes, reps: options.matmulReps });
  const peakGflops = Math.max(...rates.map((r) => r.gflops));
  const configs: ConfigReport[] = [];
  for (const config of options.configs) {
    const request: RunRequest = { config, schedule: scheduleOf(config, options), implementations: options.implementations };
    const run = await call<RunResult>('runConfig', request);
    const profile = options.profile ? await call<Profile>('profileConfig', { config }) : undefined;
    configs.push(configReport(run, peakGflops, profile));
  }
  return { date: new Date().toISOString(), command, adapter, node: process.version, matmul: { rates, peakGflops }, configs };
}

/** A file-name-safe slug of the adapter's name. */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'unknown';
}

async function main(argv: string[]): Promise<number> {
  let options: Options;
  try {
    options = readOptions(argv);
  } catch (e) {
    if (!(e instanceof UsageError) && !(e instanceof TypeError)) throw e;
    if (e.message) console.error(`bench: ${e.message}`);
    console.error(`usage: ${USAGE}`);
    return 2;
  }
  const command = ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' ');
  const started = performance.now();
  const report = await withPageModule(
    {
      module: PAGE,
      webgpu: true,
      prebundle: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu'],
      cacheDir: 'node_modules/.vite-bench',
      onConsole: (text) => console.error(text),
    },
    (call) => measure(call, options, command),
  );
  const out = options.out ?? `bench/results/${report.date.slice(0, 10)}-${slug(report.adapter.name)}.json`;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);

  const peak = report.matmul.rates.map((r) => `${r.n}³: ${r.gflops.toFixed(2)} GFLOP/s`).join(', ');
  console.log(`\nAdapter: ${report.adapter.name} (${report.adapter.userAgent.match(/Chrome\/\S+/)?.[0] ?? 'Chromium'}); ${report.date}`);
  console.log(`Our matmul on this adapter: ${peak}; peak ${report.matmul.peakGflops.toFixed(2)} GFLOP/s`);
  console.log('FLOPs per training step = 3 · 2·T·B·(G·H·(V+H) + H·V) (matmuls only; G = 4 lstm, 3 gru, 1 rnn)\n');
  console.log(resultsTable(report));
  console.log('');
  for (const line of [...summaryLines(report), ...profileLines(report)]) console.log(line);
  console.log(`\nWrote ${out} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  return report.configs.some((c) => c.checks.some((k) => !k.pass)) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
