/**
 * Caller API keys the integration tests use. Only their SHA-256 is configured, as in production.
 */
import { sha256Hex, type ApiKeyEntry, type AuthConfig } from '../../src/auth/index.js';

export const FULL_KEY = 'pgw_test_full_4f1d9a77c2e84b0b9b1e';
export const READ_KEY = 'pgw_test_read_0a6c1e5d93f24e6c8d77';
export const CANCEL_KEY = 'pgw_test_cancel_7b2e4c19d0a34f5e9c11';

export const TEST_API_KEYS: readonly ApiKeyEntry[] = [
  { name: 'full-service', keySha256: sha256Hex(FULL_KEY), scopes: ['payments:read', 'payments:cancel'] },
  { name: 'support-readonly', keySha256: sha256Hex(READ_KEY), scopes: ['payments:read'] },
  { name: 'cancel-only', keySha256: sha256Hex(CANCEL_KEY), scopes: ['payments:cancel'] },
];

export const TEST_AUTH: AuthConfig = { apiKeys: TEST_API_KEYS, jwt: null };
