// API shapes as Crustdata sends and expects them: the only home of snake_case in this node.

export type IdentifierType = 'profileUrl' | 'businessEmail';

/** The contact sub-fields the node sells, as the API names them. */
export const CONTACT_FIELDS = [
	'contact.business_emails',
	'contact.personal_emails',
	'contact.phone_numbers',
	'contact.websites',
] as const;

export type ContactField = (typeof CONTACT_FIELDS)[number];

export interface EmailRecord {
	email: string;
	status: string;
}

export interface ContactData {
	business_emails?: EmailRecord[] | null;
	personal_emails?: EmailRecord[] | null;
	phone_numbers?: string[] | null;
	websites?: string[] | null;
	business_emails_message?: string;
	[key: string]: unknown;
}

export interface PersonData {
	crustdata_person_id?: number | string | null;
	contact?: ContactData | null;
	[key: string]: unknown;
}

export interface EnrichMatch {
	confidence_score: number | null;
	person_data: PersonData;
	[key: string]: unknown;
}

export interface EnrichEntry {
	matched_on: string;
	match_type: string;
	matches: EnrichMatch[];
	[key: string]: unknown;
}

export interface EnrichRequestBody {
	professional_network_profile_urls?: string[];
	business_emails?: string[];
	fields: ContactField[];
	verified?: boolean;
}

export const IDENTIFIER_BODY_KEY: Record<
	IdentifierType,
	'professional_network_profile_urls' | 'business_emails'
> = {
	profileUrl: 'professional_network_profile_urls',
	businessEmail: 'business_emails',
};

export const MATCH_TYPE: Record<IdentifierType, string> = {
	profileUrl: 'professional_network_profile_url',
	businessEmail: 'business_email',
};

// Batch Contact Enrich (asynchronous): its own `fields` vocabulary and job shapes.

export type BatchField =
	| 'business_email'
	| 'personal_contact_info'
	| 'personal_contact_info.personal_emails'
	| 'personal_contact_info.phone_numbers';

export interface BatchSubmitBody {
	professional_network_profile_urls: string[];
	fields: BatchField[];
	verified?: boolean;
}

/** One row of a results file: the documented envelope, or the flat row one client saw. */
export interface BatchRecord {
	original_identifier?: string;
	professional_network_url?: string;
	internal_id?: number | string | null;
	person_id?: number | string | null;
	data?: BatchContactData | null;
	business_email?: EmailRecord[] | null;
	personal_contact_info?: BatchPersonalContactInfo | null;
	[key: string]: unknown;
}

export interface BatchContactData {
	business_email?: EmailRecord[] | null;
	personal_contact_info?: BatchPersonalContactInfo | null;
	[key: string]: unknown;
}

export interface BatchPersonalContactInfo {
	personal_emails?: EmailRecord[] | null;
	phone_numbers?: string[] | null;
	[key: string]: unknown;
}
