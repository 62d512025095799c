// Lint (typescript-eslint, flat config, type-aware). Run through the test command (scripts/test.sh counts it as one
// check) or alone: `npx eslint`.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'src/dashboard/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'no-control-regex': 'error',
      // two `case 'x':` in one switch: the second is dead code (a merge once left `export stix` unreachable)
      'no-duplicate-case': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    // every bulk command goes through src/store/bulk.ts, which splits it below the size that wedges FerretDB 1.24
    files: ['src/**/*.ts', 'crawlers/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(bulkWrite|insertMany)$/]',
          message: 'Bulk writes go through bulkWriteChunked / insertManyChunked (src/store/bulk.ts): one long command wedges FerretDB.',
        },
        {
          selector: "CallExpression[callee.property.name='collection'][callee.object.type='MemberExpression'][callee.object.property.name='db']",
          message: 'No collection by name outside its family: use the store module that owns it (src/store/repos/, src/store/store.ts).',
        },
      ],
    },
  },
  {
    // the raw database and the client stay in the store (src/store/db-handle.ts); other layers use its families
    files: ['src/**/*.ts', 'crawlers/**/*.ts'],
    ignores: ['src/store/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'mongodb',
              importNames: ['Db', 'MongoClient'],
              message: 'The raw database stays in src/store/: use the collection families (src/store/repos/) or the typed collections of Store.',
            },
          ],
        },
      ],
    },
  },
  {
    // tests read JSON answers of every shape; `any` stays allowed there (never in src/, crawlers/, bench/, scripts/)
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
