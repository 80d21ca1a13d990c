import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class CrustdataContactApi implements ICredentialType {
	name = 'crustdataContactApi';

	// Not "Crustdata API": Crustdata's own node's credential has that name, and a user with both
	// would see two identical entries. The type name stays, so saved credentials keep working.
	displayName = 'Crustdata Contact Enrich API';

	icon: Icon = { light: 'file:../icons/crustdata.svg', dark: 'file:../icons/crustdata.dark.svg' };

	documentationUrl =
		'https://github.com/crustdata-contact/n8n-nodes-crustdata-contact?tab=readme-ov-file#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your Crustdata API key, from the Crustdata dashboard',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.crustdata.com',
			description:
				'Where the Crustdata API is reached. Change it only to go through a proxy or to point at a local simulator.',
		},
	];

	// Every request carries the key and the API version; without the version header the API answers 400.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				authorization: '=Bearer {{$credentials.apiKey}}',
				'x-api-version': '2025-11-01',
			},
		},
	};

	// GET /account/credits is free, so testing the credential never spends a credit.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/account/credits',
			method: 'GET',
		},
	};
}
