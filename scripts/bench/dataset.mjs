// The benchmark's input: a lead list as a CRM export gives it. Deterministic (seeded) so every
// run sends the same data. Per 100 rows: 75 distinct people (1 in 10 of them unknown to
// Crustdata), 20 duplicates of those people in another spelling of their profile URL, 5 bad
// rows (a company page, an empty cell, an email in the URL column, an old /pub/ address,
// another site).

const SPELLINGS = [
	(slug) => `https://www.linkedin.com/in/${slug}`,
	(slug) => `http://linkedin.com/in/${slug}/`,
	(slug) => `https://uk.linkedin.com/in/${slug}?trk=public_profile`,
	(slug) => `www.linkedin.com/in/${slug}`,
	(slug) => `HTTPS://WWW.LINKEDIN.COM/in/${slug.toUpperCase()}/`,
];

const BAD = [
	(n) => `https://www.linkedin.com/company/acme-${n}`,
	() => '',
	(n) => `lead-${n}@example.com`,
	(n) => `https://www.linkedin.com/pub/old-profile-${n}/1/2/3`,
	(n) => `https://twitter.com/lead${n}`,
];

export const SHARES = { distinct: 0.75, duplicates: 0.2, bad: 0.05, unmatchedOfDistinct: 0.1 };

/** mulberry32: a small seeded PRNG. */
function prng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * `size` rows `{row, url}` plus what each should come to: `expected` (the canonical URL a valid
 * row's person has), `bad` and `matches` (whether Crustdata knows the person).
 */
export function dataset(size, seed = 20251101) {
	const random = prng(seed + size);
	const bad = Math.round(size * SHARES.bad);
	const duplicates = Math.round(size * SHARES.duplicates);
	const distinct = size - bad - duplicates;
	const people = Array.from({ length: distinct }, (_, n) => {
		const unknown = n % Math.round(1 / SHARES.unmatchedOfDistinct) === 3;
		return `${unknown ? 'nomatch-' : ''}bench-lead-${String(n).padStart(5, '0')}`;
	});
	const rows = [];
	for (const [n, slug] of people.entries())
		rows.push({ url: SPELLINGS[n % SPELLINGS.length](slug), slug });
	for (let n = 0; n < duplicates; n++) {
		const slug = people[Math.floor(random() * distinct)];
		rows.push({ url: SPELLINGS[Math.floor(random() * SPELLINGS.length)](slug), slug });
	}
	for (let n = 0; n < bad; n++) rows.push({ url: BAD[n % BAD.length](n), slug: null });
	for (let i = rows.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[rows[i], rows[j]] = [rows[j], rows[i]];
	}
	return rows.map(({ url, slug }, row) => ({
		row,
		url,
		expected: slug ? `https://www.linkedin.com/in/${slug}` : null,
		bad: slug === null,
		matches: slug !== null && !slug.startsWith('nomatch'),
	}));
}
