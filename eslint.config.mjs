// ESLint flat config: typescript-eslint's recommended rules over the whole project; Prettier formats.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import { layerZones } from './eslint.layers.mjs';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'reports/out/', 'test-results/', 'playwright-report/', 'blob-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Formatting is Prettier's (npm run lint runs `prettier --check`): its rules off here.
  prettier,
  {
    files: ['bin/**/*.js', 'examples/**/*.js', 'examples/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', process: 'readonly', setTimeout: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The layers (eslint.layers.mjs), and no import cycles anywhere in the shipped code.
    files: ['harness/**/*.ts', 'servers/**/*.ts', 'reports/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.mjs', '.js', '.json'] })] },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones() }],
      'import-x/no-cycle': 'error',
    },
  },
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
