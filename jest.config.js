/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }],
  },
  // Integration tests share one Redis and one FerretDB; they isolate by unique queue and DB names.
  testTimeout: 60000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
};
