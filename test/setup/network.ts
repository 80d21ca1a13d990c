// Loaded before every jest test file (jest.config.js `setupFilesAfterEnv`): no test reaches the
// network unless it says so (nock answers instead), and no test's interceptors outlive it.
import nock from 'nock';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());
