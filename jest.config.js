/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	// nock's interceptors live on the global scope across test files.
	testEnvironmentOptions: { globalsCleanup: 'off' },
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// A hang guard, not a timing check: `npm test` runs jest beside the n8n host's install, and on
	// 2 busy cores a 2-second test of 1,000 rows took over jest's default 5 s in CI.
	testTimeout: 30_000,
	setupFilesAfterEnv: ['<rootDir>/test/setup/network.ts', '<rootDir>/test/setup/sleep.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
	},
};
