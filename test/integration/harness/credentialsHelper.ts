import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeProperties,
	IRequestOptionsSimplified,
	Workflow,
} from 'n8n-workflow';
import { ICredentialsHelper, isExpression, UnexpectedError } from 'n8n-workflow';

type AuthTarget = 'headers' | 'qs' | 'body' | 'auth';

/**
 * Stands in for the CLI's `CredentialsHelper`: returns the test's credential data (with the
 * credential type's defaults filled in, as the CLI does) and applies `authenticate` the way
 * `packages/cli/src/credentials-helper.ts` does, resolving `{{$credentials.x}}` expressions
 * with the workflow's real expression engine.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly credentialType: ICredentialType | undefined,
		private readonly data: ICredentialDataDecryptedObject | undefined,
	) {
		super();
	}

	getParentTypes(): string[] {
		return this.credentialType?.extends ?? [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getCredentialsProperties(): INodeProperties[] {
		return this.credentialType?.properties ?? [];
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		const withDefaults: ICredentialDataDecryptedObject = {};
		for (const property of this.credentialType?.properties ?? []) {
			if (property.default !== undefined) {
				withDefaults[property.name] = property.default as ICredentialDataDecryptedObject[string];
			}
		}
		// A fresh object per call: the request helper assigns pre-authentication data onto it.
		return { ...withDefaults, ...(this.data ?? {}) };
	}

	// Only OAuth token refresh and credential persistence read stored credentials.
	async getCredentials(): Promise<ICredentials> {
		return await Promise.reject(
			new UnexpectedError('Stored credentials are not available in the test harness'),
		);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const authenticate = this.credentialType?.authenticate;
		if (this.credentialType === undefined || typeName !== this.credentialType.name) {
			throw new UnexpectedError(`The harness has no credential type "${typeName}"`);
		}
		if (authenticate === undefined) return requestOptions;
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions);
		}
		if (!workflow || !node) {
			throw new UnexpectedError('Workflow and node are required for generic authentication');
		}
		requestOptions.headers ??= {};
		const targets = authenticate.properties as Partial<Record<AuthTarget, IDataObject>>;
		for (const [target, entries] of Object.entries(targets) as Array<[AuthTarget, IDataObject]>) {
			const resolved: IDataObject = { ...(requestOptions[target] as IDataObject | undefined) };
			for (const [key, value] of Object.entries(entries)) {
				const resolvedKey = this.resolveValue(key, credentials, workflow, node);
				resolved[resolvedKey] = this.resolveValue(value, credentials, workflow, node);
			}
			Object.assign(requestOptions, { [target]: resolved });
		}
		return requestOptions;
	}

	// Defined, as on the CLI's helper, so n8n's request helper re-sends a thrown 401 once.
	async preAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	private resolveValue(
		value: unknown,
		credentials: ICredentialDataDecryptedObject,
		workflow: Workflow,
		node: INode,
	): string {
		if (typeof value !== 'string') return String(value);
		if (!isExpression(value)) return value;
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		);
		return resolved === undefined || resolved === null ? '' : String(resolved);
	}
}
