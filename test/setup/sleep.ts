// Loaded before every jest test file (jest.config.js `setupFilesAfterEnv`): n8n-workflow's `sleep`,
// the node's only way to wait, becomes a mock that really waits unless a test asks otherwise
// (test/helpers/sleep.ts). Whatever a test does, no wait the node asks for may be absurd.
import { MAX_SERVER_WAIT_MS } from '../../nodes/CrustdataContactEnrich/transport/limits';
import { realSleep, sleepMock } from '../helpers/sleep';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return { ...actual, sleep: jest.fn(actual.sleep) };
});

/** The longest wait the node may ever ask for: a 429's capped wait plus its jitter. */
export const LONGEST_SANE_WAIT_MS = MAX_SERVER_WAIT_MS + 250;

beforeEach(() => {
	sleepMock.mockClear();
	sleepMock.mockImplementation(realSleep);
});

afterEach(() => {
	jest.restoreAllMocks();
	for (const [ms] of sleepMock.mock.calls) {
		if (!(Number.isFinite(ms) && ms >= 0 && ms <= LONGEST_SANE_WAIT_MS)) {
			throw new Error(
				`The node asked to wait ${ms} ms: no wait may be longer than ${LONGEST_SANE_WAIT_MS} ms`,
			);
		}
	}
});
