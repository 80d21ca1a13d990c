/**
 * Other spellings of one identifier, for the `respell` fault. The docs say `matched_on` echoes
 * the identifier as sent, but the contract's "answers by identity" decision pairs entries after
 * normalisation, so the node must survive an echo that names the same person differently.
 * Every spelling here still finds the same fixture person (fixtures.mjs reads the slug
 * case-insensitively, percent-decoded, ignoring a trailing slash, the scheme and the host).
 */

/** Profile URL spellings, in the order `mixed` cycles through them. */
export const URL_SPELLINGS = ['decoded', 'noWww', 'trailingSlash', 'http', 'upper'];
export const SPELLINGS = [...URL_SPELLINGS, 'mixed'];

// Member ids (ACoAA…) are case-sensitive: upper-casing one would name someone else.
const MEMBER_ID = /^ACo[A-Za-z0-9_-]{10,}$/;
const URL_PARTS = /^([a-z][a-z0-9+.-]*:\/\/)?([^/?#]*)([^?#]*)(.*)$/i;

/** A path segment percent-decoded, unless decoding fails or would change the path's shape. */
function decodeSegment(segment) {
	try {
		const decoded = decodeURIComponent(segment);
		return /[/?#]/.test(decoded) ? segment : decoded;
	} catch {
		return segment;
	}
}

/** The segment after `/in/` upper-cased (but not a member id); every other segment as is. */
function upperSlug(path) {
	const segments = path.split('/');
	const at = segments.findIndex((s) => s.toLowerCase() === 'in') + 1;
	if (at > 0 && at < segments.length && !MEMBER_ID.test(decodeSegment(segments[at])))
		segments[at] = segments[at].toUpperCase();
	return segments.join('/');
}

/** Each takes the URL's parts `{scheme, host, path, rest}` and returns the URL respelled. */
const URL_TRANSFORMS = {
	decoded: (u) => u.scheme + u.host + u.path.split('/').map(decodeSegment).join('/') + u.rest,
	noWww: (u) => u.scheme + u.host.replace(/^www\./i, '') + u.path + u.rest,
	trailingSlash: (u) =>
		u.scheme + u.host + (u.path.endsWith('/') ? u.path.replace(/\/+$/, '') : `${u.path}/`) + u.rest,
	http: (u) => (/^https:/i.test(u.scheme) ? 'http://' : 'https://') + u.host + u.path + u.rest,
	upper: (u) => u.scheme.toUpperCase() + u.host.toUpperCase() + upperSlug(u.path) + u.rest,
};

function respellUrl(url, spelling) {
	const [, scheme = '', host, path, rest] = URL_PARTS.exec(url);
	const parts = { scheme, host, path, rest };
	// A spelling that changes nothing here (`decoded` without escapes, `noWww` without www)
	// falls back to the next one that does: trailingSlash always does.
	for (const name of [spelling, ...URL_SPELLINGS]) {
		const respelled = URL_TRANSFORMS[name](parts);
		if (respelled !== url) return respelled;
	}
	return url;
}

/**
 * `identifier` in another spelling. Profile URLs take `spelling` (`mixed`: entry `index` takes
 * URL_SPELLINGS[index % 5]); business emails are always upper-cased, whatever `spelling` says.
 * @param {string} identifier as sent
 * @param {'professional_network_profile_urls'|'business_emails'} idKey
 * @param {string} [spelling] @default 'mixed'
 * @param {number} [index] the entry's position in the answer
 */
export function respell(identifier, idKey, spelling = 'mixed', index = 0) {
	if (idKey === 'business_emails') return identifier.toUpperCase();
	const chosen = spelling === 'mixed' ? URL_SPELLINGS[index % URL_SPELLINGS.length] : spelling;
	return respellUrl(identifier, chosen);
}
