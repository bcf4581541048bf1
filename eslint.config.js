import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', '**/drizzle/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Scripts that run in Node: benchmarks, tooling, the example host backend, configs.
    files: [
      'bench/**',
      'scripts/**',
      'examples/host-backend/**',
      'examples/psa-webhook-receiver/**',
      '**/*.config.{js,mjs,ts}',
      'packages/*/scripts/**',
      'packages/widget/test/**',
    ],
    languageOptions: { globals: globals.node },
  },
  {
    // Plain scripts that run in the browser: the demo page and the example pages.
    files: ['packages/server/demo-page/**', 'examples/script-tag/**', 'examples/strict-csp/**'],
    languageOptions: { globals: { ...globals.browser, ResolutionFlow: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
);
