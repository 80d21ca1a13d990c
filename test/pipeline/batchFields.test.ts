import { toBatchFields } from '../../nodes/CrustdataContactEnrich/pipeline/batchFields';
import type { ContactField } from '../../nodes/CrustdataContactEnrich/types';

describe('toBatchFields', () => {
	it.each<[string, ContactField[], string[], ContactField[]]>([
		['business emails', ['contact.business_emails'], ['business_email'], []],
		[
			'personal emails and phones as sub-fields',
			['contact.personal_emails', 'contact.phone_numbers'],
			['personal_contact_info.personal_emails', 'personal_contact_info.phone_numbers'],
			[],
		],
		[
			'websites as unsupported, the rest kept in order',
			['contact.phone_numbers', 'contact.websites', 'contact.business_emails'],
			['personal_contact_info.phone_numbers', 'business_email'],
			['contact.websites'],
		],
		['websites alone as nothing to send', ['contact.websites'], [], ['contact.websites']],
		[
			'duplicates once',
			['contact.business_emails', 'contact.business_emails'],
			['business_email'],
			[],
		],
	])('translates %s', (_label, fields, expected, unsupported) => {
		expect(toBatchFields(fields)).toEqual({ fields: expected, unsupported });
	});
});
