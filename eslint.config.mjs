// Lint configuration: every source and test file, TypeScript and JavaScript alike
// (see ../shared/design/style.md): typescript-eslint's recommended rules plus the few
// this codebase leans on. TypeScript files get their globals from tsconfig (tsc checks
// names); JavaScript files get them here, by what runs each folder.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Generated: bundles, test output, recorded traces and program builds (wherever a run made them).
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test-results/**', '**/.async-trace/**', '**/.build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  // ES modules run by Node (build and test scripts, the bench runner, the VS Code harness):
  // Node's built-in globals, not CommonJS's require/module/__dirname.
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: globals.nodeBuiltin },
  },
  // CommonJS (the package has no "type": "module", so .js is CommonJS too): the VS Code
  // suite and workspace programs, the mocha reporter, executor fixtures. require() is how they import.
  {
    files: ['**/*.cjs', '**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // The suite runs under mocha inside the extension host.
  {
    files: ['test/vscode/suite/**/*.test.js'],
    languageOptions: { globals: globals.mocha },
  },
  // The harness drives Chromium: the callbacks it hands page.waitForFunction/evaluate run in the page.
  {
    files: ['test/vscode/harness/**/*.mjs'],
    languageOptions: { globals: { ...globals.nodeBuiltin, ...globals.browser } },
  },
);
