/**
 * Unit (.spec), adapter/projection (.int-spec) and HTTP (.e2e-spec) tests in one run.
 * @swc/jest compiles TypeScript with decorator metadata, which NestJS's injector needs.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '\\.(spec|int-spec|e2e-spec)\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // A few dependencies ship only ES modules, which jest's CommonJS runtime cannot load (Node 24
  // itself requires them natively, as the compiled service does): swc compiles them to CommonJS
  // like our own sources.
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|uuid|cockatiel|commander)/)'],
  transform: {
    '^.+\\.(ts|js)$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  globalSetup: '<rootDir>/test/global-setup.ts',
  maxWorkers: 2,
  testTimeout: 30000,
};
