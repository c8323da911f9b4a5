// ESLint 9 flat config. typescript-eslint's non-type-checked presets keep `npm run lint` fast
// (no program build); `npm run typecheck` covers the type level.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Node globals for the plain .mjs scripts (TypeScript files get no-undef from tsc instead).
// Listed here rather than importing the `globals` package, which is only a transitive dependency.
const nodeGlobals = Object.fromEntries(
  [
    'process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder',
    'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate',
    'queueMicrotask', 'structuredClone', 'AbortController', 'AbortSignal', 'fetch', 'performance',
    'global', 'globalThis', '__dirname', '__filename', 'require', 'module', 'exports',
  ].map((name) => [name, 'readonly']),
);

// The provider package roots load every generated resource class (seconds, hundreds of MB).
// Import each class by its deep path instead (DESIGN.md §7).
const providerRootImports = {
  paths: [
    {
      name: '@cdktf/provider-aws',
      message: "Import the class by deep path, e.g. '@cdktf/provider-aws/lib/s3-bucket'; the package root loads every resource.",
    },
    {
      name: '@cdktf/provider-docker',
      message: "Import the class by deep path, e.g. '@cdktf/provider-docker/lib/container'; the package root loads every resource.",
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/cdktf.out/**',
      '**/coverage/**',
      '**/reports/**',
      '**/.gen/**',
      '**/.stryker-tmp/**',
      'test/.tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,mts,cts,js,mjs,cjs}'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: nodeGlobals,
    },
    rules: {
      'no-restricted-imports': ['error', providerRootImports],
      // no-restricted-imports does not see dynamic import() or require(); catch those too.
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportExpression[source.value=/^@cdktf\\/provider-(aws|docker)$/]",
          message: 'Import provider classes by deep path, never the package root.',
        },
        {
          selector: "CallExpression[callee.name='require'][arguments.0.value=/^@cdktf\\/provider-(aws|docker)$/]",
          message: 'Import provider classes by deep path, never the package root.',
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Library code reports through findings, annotations and return values, never the console.
    files: ['lib/**/*.ts'],
    ignores: ['lib/cli/**'],
    rules: {
      'no-console': 'error',
    },
  },
);
