// API shapes as Crustdata sends and expects them: the only home of snake_case in this node.

export type IdentifierType = 'profileUrl' | 'businessEmail';

export type ContactField =
	| 'contact.business_emails'
	| 'contact.personal_emails'
	| 'contact.phone_numbers'
	| 'contact.websites';

export type EmailStatus = 'deliverable' | 'catch_all' | 'invalid' | 'unknown';

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
