import { chargedFor, CreditBudget } from '../../nodes/CrustdataContactEnrich/transport/budget';

describe('CreditBudget', () => {
	it('reserves only what fits beside what was spent and what is reserved', () => {
		const budget = new CreditBudget(30);
		expect(budget.affordable(1)).toBe(30);
		expect(budget.reserve(25)).toBe(true);
		expect(budget.affordable(1)).toBe(5);
		expect(budget.reserve(6)).toBe(false);
		expect(budget.reserve(5)).toBe(true);
		expect(budget.affordable(1)).toBe(0);
		budget.settle(25, 20);
		expect(budget.affordable(1)).toBe(5);
		expect(budget.spent).toBe(20);
		expect(budget.hasReservations()).toBe(true);
		budget.release(5);
		expect(budget.affordable(1.5)).toBe(6);
	});

	it('starts from what earlier runs of the execution spent', () => {
		expect(new CreditBudget(30, 28).affordable(1)).toBe(2);
	});

	it('has no limit at 0', () => {
		const budget = new CreditBudget(0);
		expect(budget.affordable(5)).toBe(Infinity);
		expect(budget.reserve(1e9)).toBe(true);
	});
});

describe('chargedFor', () => {
	const headers = (credits?: string) =>
		credits === undefined ? {} : { 'x-credits-used': credits };
	it.each([
		['a 200 that says its credits', { statusCode: 200, headers: headers('3') }, 3],
		['a 200 that says nothing (counted at its worst)', { statusCode: 200, headers: headers() }, 10],
		[
			'an error status that says nothing',
			{ kind: 'status' as const, status: 500, headers: {}, body: '' },
			0,
		],
		[
			'an error status that says it billed',
			{ kind: 'status' as const, status: 500, headers: headers('1'), body: '' },
			1,
		],
		[
			'a time-out (may have been billed)',
			{ kind: 'network' as const, code: 'ECONNABORTED', message: '' },
			10,
		],
		['a refused connection', { kind: 'network' as const, code: 'ECONNREFUSED', message: '' }, 0],
		['an unreadable 200', { kind: 'malformed' as const, status: 200, headers: {}, detail: '' }, 10],
	])('%s', (_label, outcome, credits) => {
		expect(chargedFor(outcome, 10)).toBe(credits);
	});
});
