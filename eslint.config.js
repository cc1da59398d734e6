// Lint, and the import boundaries of ../shared/STYLE.md: imports point down the layers.
import tseslint from 'typescript-eslint';

/** What each workspace may import of ours (besides itself). Apps may import any package, never another app. */
const layers = {
  asl: [],
  'api-contract': [],
  observability: [],
  // Environment parsing: only apps import it (libraries take typed options and never read the environment).
  config: [],
  store: ['asl', 'api-contract', 'observability'],
  queue: ['observability'],
  engine: ['asl', 'api-contract', 'observability'],
  integrations: ['asl', 'api-contract', 'observability'],
  // The public SDK for activity workers: depends on @aws-sdk/client-sfn only, so it works against AWS too.
  'activity-worker': [],
};
const allPackages = Object.keys(layers);
const apps = ['api', 'worker', 'timer', 'cli', 'console'];

const boundaryRules = Object.entries(layers).map(([pkg, allowed]) => ({
  files: [`packages/${pkg}/src/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: [
              ...allPackages.filter((p) => p !== pkg && !allowed.includes(p)).map((p) => `@baton/${p}`),
              ...apps.map((a) => `@baton/${a}`),
              '../../*',
            ],
            message: `packages/${pkg} may only import ${allowed.length ? allowed.map((p) => '@baton/' + p).join(', ') : 'nothing of ours'} (see STYLE.md: imports point down).`,
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'bench/results/**', '.baton/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  ...boundaryRules,
  {
    // Nothing imports an app, except the all-in-one `baton` command, whose job is to start the app roles.
    files: ['apps/*/src/**/*.ts'],
    ignores: ['apps/cli/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: apps.map((a) => `@baton/${a}`), message: 'nothing imports an app (only apps/cli starts them)' }] }],
    },
  },
  {
    // The web console is a client of the public REST surface: it imports nothing of ours (STYLE.md).
    files: ['apps/console/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@baton/*'], message: 'the console talks to Baton only through the REST surface (/openapi.json)' }] }],
    },
  },
  {
    // The interpreter is pure: time and randomness arrive as inputs.
    files: ['packages/asl/src/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'asl is pure: take time as an input' },
        { object: 'Math', property: 'random', message: 'asl is pure: take randomness as an input' },
      ],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'fetch', 'process'],
    },
  },
);
