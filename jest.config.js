// Jest runs in ESM mode (NODE_OPTIONS=--experimental-vm-modules, set by the npm scripts).
// Tests import the library by its package name; these mappings point that name at the sources,
// so a test run needs no build and reports coverage on the real files.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  testMatch: [
    '<rootDir>/libs/**/*.spec.ts',
    '<rootDir>/sample-app/**/*.spec.ts',
    '<rootDir>/test/**/*.e2e-spec.ts',
  ],
  moduleNameMapper: {
    '^nestjs-face-webhooks$': '<rootDir>/libs/face-webhooks/src/index.ts',
    '^nestjs-face-webhooks/testing$': '<rootDir>/libs/face-webhooks/src/testing/index.ts',
    '^nestjs-face-webhooks/queue$': '<rootDir>/libs/face-webhooks/src/queue/index.ts',
    '^nestjs-face-webhooks/health$': '<rootDir>/libs/face-webhooks/src/health/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
  },
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/test/support/redis.global-setup.js',
  globalTeardown: '<rootDir>/test/support/redis.global-teardown.js',
  reporters: ['default', '<rootDir>/test/support/plain-summary-reporter.js'],
  testTimeout: 20000,
};
