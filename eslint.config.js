// One-way imports: ui -> worker -> sim, cli -> sim, and sim imports nothing
// outside sim. Enforced here rather than by convention so a stray import fails CI.
import tseslint from 'typescript-eslint';
import { floorsPlugin } from './eslint-floors.js';

const layer = (name) => ({ regex: `(^|/)(\\.\\./)+${name}(/|$)`, message: `this layer may not import from ${name}/` });
const nodeBuiltins = { regex: '^node:', message: 'the simulation core runs in the browser too: no Node built-ins' };
const simInternals = { regex: '(^|/)sim/(?!index$)', message: 'import the core through src/sim/index.ts only' };
const workerInternals = { regex: '(^|/)worker/(?!protocol$)', message: 'the UI talks to the worker through worker/protocol.ts only' };
const koffi = { regex: '^koffi$', message: 'koffi (FFI) is for the Node host in src/host only' };
const frameworks = { regex: '^(react|react-dom|zustand|@xterm/.*)$', message: 'the simulation core is UI-free' };

export default tseslint.config(
  { ignores: ['dist/**', 'dist-*/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'playwright-report/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'use the seeded PRNG' }],
    },
  },
  {
    // Inside the core, the floors: clock/trace/actions < virtio < gpio < guest < check < machine < explain < observe < export < scenario.
    files: ['src/sim/**/*.ts'],
    ignores: ['src/sim/**/*.test.ts'],
    plugins: { house: floorsPlugin },
    rules: { 'house/floors': 'error' },
  },
  {
    files: ['src/sim/**/*.ts'],
    ignores: ['src/sim/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [layer('ui'), layer('worker'), layer('cli'), layer('host'), nodeBuiltins, frameworks, koffi] }],
      'no-restricted-globals': ['error', 'window', 'document', 'setTimeout', 'setInterval', 'postMessage', 'performance', 'process', 'self'],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'simulated time only' }],
    },
  },
  {
    files: ['src/worker/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layer('ui'), layer('cli'), layer('host'), koffi, simInternals] }] },
  },
  {
    // The UI sees the core only through its public index, and the worker only through the protocol.
    files: ['src/ui/**/*.{ts,tsx}', 'src/main.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layer('cli'), layer('host'), koffi, simInternals, workerInternals] }] },
  },
  {
    // The CLI goes through the same public index as the worker.
    files: ['src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layer('ui'), layer('worker'), simInternals] }] },
  },
  {
    // The real-guest host is Node only (FFI, sockets, QEMU): it may use the core, never the UI, worker or CLI;
    // the worker's protocol too, as the live app's server (`vgpio guest --ui`) speaks it to the page.
    files: ['src/host/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layer('ui'), workerInternals, layer('cli')] }] },
  },
);
