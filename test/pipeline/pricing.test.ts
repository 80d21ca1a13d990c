import { worstCaseCredits } from '../../nodes/CrustdataContactEnrich/pipeline/pricing';
import type { ContactField } from '../../nodes/CrustdataContactEnrich/types';

describe('worstCaseCredits', () => {
	it.each<[string, ContactField[], boolean, number]>([
		['business emails', ['contact.business_emails'], false, 1],
		['business emails, verified', ['contact.business_emails'], true, 1.5],
		['personal emails', ['contact.personal_emails'], false, 2],
		['phone numbers', ['contact.phone_numbers'], false, 2],
		['verified without business emails (nothing to verify)', ['contact.phone_numbers'], true, 2],
		['business and phone', ['contact.business_emails', 'contact.phone_numbers'], false, 3],
		[
			'everything (capped at 5)',
			[
				'contact.business_emails',
				'contact.personal_emails',
				'contact.phone_numbers',
				'contact.websites',
			],
			false,
			5,
		],
		[
			'everything, verified',
			[
				'contact.business_emails',
				'contact.personal_emails',
				'contact.phone_numbers',
				'contact.websites',
			],
			true,
			5.5,
		],
	])('%s', (_label, fields, verified, credits) => {
		expect(worstCaseCredits(fields, verified)).toBe(credits);
	});
});
