/**
 * The `/__sim/*` control surface, so another process (n8n under test, a benchmark) can steer
 * the simulator. No auth, and not logged: the log holds API traffic only.
 */
import { asObject, parseJson, readBody } from './http.mjs';
import { checkResetFormat } from './rateLimit.mjs';
import { checkCreditsShape } from './routes.mjs';

const OK = { ok: true };

function send(res, status, body) {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
	});
	res.end(text);
}

/** `METHOD path` → action(sim, body), returning the JSON to answer with. */
const ROUTES = {
	'GET /__sim/log': (sim) => sim.log,
	'GET /__sim/faults': (sim) => sim.faults(),
	'POST /__sim/reset': (sim) => {
		sim.reset();
		return OK;
	},
	'POST /__sim/faults': (sim, body) => ({ ok: true, added: sim.addFault(body) }),
	'DELETE /__sim/faults': (sim) => {
		sim.clearFaults();
		return OK;
	},
	'GET /__sim/billing': (sim) => ({ total: sim.creditsCharged(), records: sim.billing() }),
	'GET /__sim/stats': (sim) => ({
		creditsCharged: sim.creditsCharged(),
		maxRequestsInWindow: sim.maxRequestsInWindow(),
		maxAttemptsInWindow: sim.maxAttemptsInWindow(),
		maxActiveJobsSeen: sim.maxActiveJobsSeen(),
	}),
	// Settings a running simulator can switch; each is optional, and one bad value (a 400)
	// changes nothing.
	'POST /__sim/settings': (sim, body) => {
		const { resetFormat, creditsShape } = asObject(body) ?? {};
		if (resetFormat !== undefined) checkResetFormat(resetFormat);
		if (creditsShape !== undefined) checkCreditsShape(creditsShape);
		if (resetFormat !== undefined) sim.setResetFormat(resetFormat);
		if (creditsShape !== undefined) sim.setCreditsShape(creditsShape);
		return OK;
	},
	'POST /__sim/keys': (sim, body) => {
		const { key, settings } = asObject(body) ?? {};
		if (typeof key !== 'string' || !key) throw new Error('Body must be {key, settings}');
		sim.setKey(key, settings ?? {});
		return OK;
	},
};

function act(sim, method, path, body) {
	if (method === 'DELETE' && path.startsWith('/__sim/keys/')) {
		sim.revokeKey(decodeURIComponent(path.slice('/__sim/keys/'.length)));
		return OK;
	}
	return ROUTES[`${method} ${path}`]?.(sim, body);
}

/** @param {object} sim the object startSimulator resolved to */
export async function handleControl(sim, req, res, path) {
	const text = await readBody(req);
	const body = text ? parseJson(text) : { ok: true, value: undefined };
	if (!body.ok) return send(res, 400, { error: 'Body is not valid JSON' });
	try {
		const result = act(sim, req.method, path, body.value);
		return result === undefined
			? send(res, 404, { error: `No control route ${req.method} ${path}` })
			: send(res, 200, result);
	} catch (error) {
		return send(res, 400, { error: error.message });
	}
}
