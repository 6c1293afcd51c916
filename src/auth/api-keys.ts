/**
 * API keys: only their SHA-256 is configured. A presented key is hashed and its digest looked
 * up. The lookup's timing can only tell about the digest of the key an attacker sent, which
 * says nothing about any configured key (finding a key from its digest is the preimage
 * problem): the secret is the key, and the key is never compared. So the lookup is one Map
 * access, however many keys are configured, rather than a constant-time comparison with every
 * entry (8 entries: about 2% of a request's CPU at 64 connections, perf profile).
 */
import { hash, randomBytes } from 'node:crypto';
import { SCOPES, type ApiKeyEntry } from './types.js';

/** Reserved: the entry of the generated development key, whose caller has kind `development-key`. */
export const DEVELOPMENT_KEY_NAME = 'development';

export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/**
 * A random development key with every scope (printed by `npm start` on the sandboxes); or the
 * entry of one made before (a cluster's workers share their primary's key).
 */
export function createDevelopmentKey(existing?: string): { readonly key: string; readonly entry: ApiKeyEntry } {
  const key = existing ?? `gwdev_${randomBytes(32).toString('base64url')}`;
  const entry: ApiKeyEntry = Object.freeze({ name: DEVELOPMENT_KEY_NAME, keySha256: sha256Hex(key), scopes: Object.freeze([...SCOPES]) });
  return Object.freeze({ key, entry });
}

export interface ApiKeyTable<T> {
  /** What the entry whose hash equals the key's was made into (the first such, if the same hash is listed twice). */
  find(key: string): T | undefined;
}

/** Looks keys up by their digest; `make` turns each entry, once, into what a lookup gives. */
export function createApiKeyTable<T>(entries: readonly ApiKeyEntry[], make: (entry: ApiKeyEntry) => T): ApiKeyTable<T> {
  const byDigest = new Map<string, T>();
  for (const entry of entries) {
    if (!/^[0-9a-f]{64}$/.test(entry.keySha256)) throw new TypeError(`API key entry ${JSON.stringify(entry.name)}: keySha256 must be 64 lower-case hex digits`);
    if (!byDigest.has(entry.keySha256)) byDigest.set(entry.keySha256, make(entry));
  }
  return {
    // crypto.hash: one call, no Hash object (a third of createHash's cost per request).
    find: (key) => byDigest.get(hash('sha256', key, 'hex')),
  };
}
