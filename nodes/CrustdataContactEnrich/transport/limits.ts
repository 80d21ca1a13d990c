// Every limit of the Crustdata API and every retry constant the node relies on, in one place:
// descriptions, settings readers, the transport and the tests import them from here.

export const ENRICH_PATH = '/person/contact/enrich';
export const BATCH_SUBMIT_PATH = '/batch/person/contact/enrich';
export const BATCH_PATH = '/batch';
export const CREDITS_PATH = '/account/credits';

/** Identifiers one `POST /person/contact/enrich` takes. */
export const MAX_IDENTIFIERS_PER_REQUEST = 25;

/** Crustdata's default limit of the enrich endpoint, per account. */
export const DEFAULT_REQUESTS_PER_MINUTE = 15;

/** The enrich endpoint's window slides over 60 s (it does not reset on the minute). */
export const RATE_WINDOW_MS = 60_000;

/** Profile URLs one batch job takes. */
export const MAX_URLS_PER_JOB = 300;

/**
 * Batch submits and status checks, paced apart from the enrich endpoint (Enrich's Auto channel):
 * at least this many a minute, more when "Requests per Minute" allows more.
 */
export const BATCH_REQUESTS_PER_MINUTE = 60;

/** Active (pending or processing) batch jobs Crustdata allows per account. */
export const MAX_ACTIVE_JOBS = 5;

/** @default 60 */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/**
 * n8n caps a workflow's own timeout at EXECUTIONS_TIMEOUT_MAX, 3600 s unless raised: 55 minutes of
 * waiting leaves 5 for submitting, downloading and the nodes after this one.
 * @default 55
 */
export const DEFAULT_MAX_WAIT_MINUTES = 55;

/** Batch jobs are polled first after 10 s, then less often (by half each time) up to once a minute. */
export const DEFAULT_POLL_SCHEDULE = { firstDelayMs: 10_000, maxDelayMs: 60_000, factor: 1.5 };

/** Retries after the first attempt, per kind of failure. */
export const RETRY_LIMITS = {
	/** 5xx, time-outs and dropped connections. */
	transient: 4,
	/** 429: the server says when to come back, so waiting is cheap and safe. */
	rateLimited: 10,
} as const;

/** Backoff of transient failures: 1, 2, 4, 8 s (with jitter), never more than 30 s. */
export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_MAX_MS = 30_000;

/** The longest a 429 may make the node wait before its next try (a longer ask is capped). */
export const MAX_SERVER_WAIT_MS = 5 * 60_000;

/**
 * `x-ratelimit-reset` is the time until the oldest request leaves the 60 s window: it can never
 * honestly be more than the window. A larger value (another unit, a broken proxy) is capped here.
 */
export const MAX_RESET_WAIT_MS = RATE_WINDOW_MS + 5_000;

/** Re-sends after a time-out or a dropped connection, when the user allows them at all. */
export const MAX_RESENDS = RETRY_LIMITS.transient;
