/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	// nock's interceptors live on the global scope across test files.
	testEnvironmentOptions: { globalsCleanup: 'off' },
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/setup/network.ts', '<rootDir>/test/setup/sleep.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
	},
};
