// `npm run test:fuzz`: the property-based fuzz suite (services/*/test/*.fuzz-spec.ts, docs/fuzzing.md), not part of `npm test`.
// FUZZ_RUNS (requests per service, default 1500) and FUZZ_SEED (to replay a run) tune it.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

module.exports = {
  displayName: 'fuzz',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testMatch: ['<rootDir>/services/*/test/*.fuzz-spec.ts'],
  rootDir: __dirname,
  testTimeout: 30 * 60_000,
};
