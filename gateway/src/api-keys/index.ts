// Partner API keys: issued and revoked by the `keys` CLI, checked by the gateway.
export { API_KEY_PREFIX, generateApiKey, hashSecret, parseApiKey, secretMatches } from './key';
export { ApiKeyStore, REVOCATION_CHANNEL, type ApiKeyRecord, type IssueOptions } from './store';
export { ApiKeyRegistry, type ApiKeyCheck, type ApiKeyPrincipal } from './registry';
export { admitApiKey, API_KEY_HEADER, presentedApiKey, tokenForKey } from './admission';
export { keysMain, type KeysCliIo } from './cli';
