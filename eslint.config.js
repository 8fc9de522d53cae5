// ESLint flat config. Besides the recommended rules it enforces STYLE.md's one-way layers:
// engine (pure math) <- gpu <- train <- store <- ui; viz is framework-free; cli is Node on top of engine;
// bench/page runs in the browser on engine and gpu, and bench's Node runner reaches it by URL only.
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** A pattern banning imports of project folder src/<name>, whether written `../gpu/x.ts` or `../../src/gpu`. */
const layer = (name) => ({
  regex: `(^|/)${name}(/|$)`,
  message: `This layer may not import from src/${name} (STYLE.md: layers import one way).`,
});

/** A pattern banning npm packages (globs allowed), their subpaths included. */
const packages = (names, message) => ({ group: names.flatMap((n) => [n, `${n}/**`]), message });

const react = packages(['react', 'react-dom'], 'React belongs in src/ui only.');

/** A `no-restricted-imports` rule from patterns. */
const restrict = (...patterns) => ['error', { patterns }];

/** A `no-restricted-globals` entry per name, with one message. */
const bannedGlobals = (names, message) => names.map((name) => ({ name, message }));

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'test-results/', '.vitest-attachments/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  { languageOptions: { globals: { ...globals.browser, ...globals.node } } },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/main.tsx'],
    extends: [reactHooks.configs.flat.recommended],
  },
  {
    files: ['src/engine/**'],
    rules: {
      'no-restricted-imports': restrict(
        ...['gpu', 'train', 'store', 'ui', 'viz', 'cli', 'tasks'].map(layer),
        react,
        packages(['zustand'], 'State lives in src/store, not in the engine.'),
        packages(['d3', 'd3-*'], 'd3 belongs in src/viz and src/ui.'),
        packages(['node:*', ...builtinModules], 'The engine runs in browsers too: no Node builtins.'),
      ),
      'no-restricted-globals': [
        'error',
        ...bannedGlobals(
          ['window', 'document', 'navigator', 'self', 'localStorage'],
          'The engine is pure math: no DOM or browser globals.',
        ),
        ...bannedGlobals(
          ['GPUBufferUsage', 'GPUShaderStage', 'GPUMapMode'],
          'The engine knows nothing of WebGPU; that is src/gpu.',
        ),
      ],
    },
  },
  {
    // Tasks: seeded data, metrics and sampling on top of the engine only, so the trainer's worker, tests and UI share them.
    files: ['src/tasks/**'],
    rules: {
      'no-restricted-imports': restrict(
        ...['gpu', 'train', 'store', 'ui', 'viz', 'cli'].map(layer),
        react,
        packages(['zustand'], 'State lives in src/store, not in the tasks.'),
        packages(['d3', 'd3-*'], 'd3 belongs in src/viz and src/ui.'),
        packages(['node:*', ...builtinModules], 'Tasks run in browsers and workers too: no Node builtins (the caller loads files).'),
      ),
      'no-restricted-globals': [
        'error',
        ...bannedGlobals(
          ['window', 'document', 'navigator', 'self', 'localStorage', 'fetch'],
          'Tasks are pure functions of settings, seed and file contents: no DOM, browser globals or fetching.',
        ),
      ],
    },
  },
  {
    // Share: the link schema, lessons and weights in links, on top of engine, tasks and the trainer's config types.
    files: ['src/share/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        ...['gpu', 'store', 'ui', 'viz', 'cli'].map(layer),
        { ...layer('train'), message: 'src/share may import only the types of src/train/config.ts.', allowTypeImports: true },
        react,
        packages(['zustand'], 'State lives in src/store, not in src/share.'),
        packages(['d3', 'd3-*'], 'd3 belongs in src/viz and src/ui.'),
        packages(['node:*', ...builtinModules], 'Links are read in browsers: no Node builtins.'),
      ),
      'no-restricted-globals': [
        'error',
        ...bannedGlobals(['window', 'document', 'navigator', 'localStorage', 'location'], 'src/share is pure: the page reads and writes the URL.'),
      ],
    },
  },
  {
    files: ['src/gpu/**'],
    rules: { 'no-restricted-imports': restrict(...['train', 'store', 'ui'].map(layer), react) },
  },
  {
    files: ['src/train/**'],
    rules: { 'no-restricted-imports': restrict(...['store', 'ui'].map(layer), react) },
  },
  {
    files: ['src/store/**'],
    rules: { 'no-restricted-imports': restrict(layer('ui')) },
  },
  {
    files: ['src/viz/**'],
    rules: { 'no-restricted-imports': restrict(react) },
  },
  {
    files: ['src/cli/**'],
    rules: { 'no-restricted-imports': restrict(...['gpu', 'train', 'store', 'ui', 'viz'].map(layer), react) },
  },
  {
    // bench/page: the benchmark's browser half, on top of engine and gpu (and TF.js).
    files: ['bench/page/**'],
    rules: {
      'no-restricted-imports': restrict(
        ...['train', 'store', 'ui', 'viz', 'cli'].map(layer),
        react,
        packages(['node:*', ...builtinModules], 'The bench page runs in the browser: no Node builtins.'),
      ),
    },
  },
  {
    // bench/*.ts: the Node runner; it reaches the page by URL only (its types are fine).
    files: ['bench/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        ...['gpu', 'train', 'store', 'ui', 'viz'].map(layer),
        { ...layer('page'), message: 'The Node runner loads bench/page by URL in Chromium; import only its types.', allowTypeImports: true },
        react,
      ),
    },
  },
);
