import type { BatchField, ContactField } from '../types';

// The batch endpoint has its own `fields` vocabulary. The node keeps the four choices of Enrich
// (so a workflow can switch operation) and translates them; websites have no batch equivalent.

const BATCH_FIELD: Record<ContactField, BatchField | undefined> = {
	'contact.business_emails': 'business_email',
	'contact.personal_emails': 'personal_contact_info.personal_emails',
	'contact.phone_numbers': 'personal_contact_info.phone_numbers',
	'contact.websites': undefined,
};

export interface BatchFields {
	/** In the order chosen, without duplicates; never empty when `unsupported` is not all. */
	fields: BatchField[];
	/** Chosen fields the batch endpoint cannot return. */
	unsupported: ContactField[];
}

export function toBatchFields(fields: readonly ContactField[]): BatchFields {
	const translated: BatchField[] = [];
	const unsupported: ContactField[] = [];
	for (const field of fields) {
		const batchField = BATCH_FIELD[field];
		if (batchField === undefined) unsupported.push(field);
		else if (!translated.includes(batchField)) translated.push(batchField);
	}
	return { fields: translated, unsupported };
}
