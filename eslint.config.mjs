import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Frameworks, I/O clients and clocks stay out of the pure deciders.
const forbiddenInDomain = {
  paths: ['kafkajs', 'mongoose', 'mongodb', 'bullmq', 'ioredis', 'nodemailer', 'crypto', 'node:crypto', 'fs', 'node:fs', '@continuum/platform'],
  patterns: [
    { group: ['@nestjs/*'], message: 'domain/ is framework-free: no Nest imports.' },
    { group: ['**/commands/**', '**/http/**', '**/messaging/**', '**/jobs/**'], message: 'domain/ may import only domain/ and @continuum/contracts.' },
  ],
};

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.stack/**', '.nx/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform'] },
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:testing'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:testing'] },
          ],
        },
      ],
    },
  },
  {
    // The platform's own specs may use the shared test kit (eventually, builders): a spec is not
    // part of the library, so the platform still depends only on contracts.
    files: ['libs/platform/**/*.spec.ts', 'libs/platform/**/*.int-spec.ts', 'libs/platform/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          ignoredCircularDependencies: [['platform', 'testing']],
          depConstraints: [{ sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:contracts', 'type:testing'] }],
        },
      ],
    },
  },
  {
    // The same for the contracts' specs (refusal, builders): the library itself depends on nothing.
    files: ['libs/contracts/**/*.spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          ignoredCircularDependencies: [['contracts', 'testing']],
          depConstraints: [{ sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts', 'type:testing'] }],
        },
      ],
    },
  },
  {
    files: ['services/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', forbiddenInDomain],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time arrives in the command (metadata.now).' },
        { object: 'Math', property: 'random', message: 'Randomness arrives in the command.' },
        { object: 'process', property: 'env', message: 'Configuration arrives in the command.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Time arrives in the command (metadata.now).' },
        { selector: "CallExpression[callee.name='randomUUID']", message: 'Ids arrive in the command.' },
      ],
    },
  },
];
