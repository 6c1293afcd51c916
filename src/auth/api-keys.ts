/**
 * API keys: only their SHA-256 is configured. A presented key is hashed and compared with every
 * entry in constant time, always all of them, so neither the result nor the time taken says
 * which entry (if any) matched or where it stands in the list.
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
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

export interface ApiKeyTable {
  /** The entry whose hash equals the key's, after comparing against every entry. */
  find(key: string): ApiKeyEntry | undefined;
}

export function createApiKeyTable(entries: readonly ApiKeyEntry[]): ApiKeyTable {
  for (const entry of entries) {
    if (!/^[0-9a-f]{64}$/.test(entry.keySha256)) throw new TypeError(`API key entry ${JSON.stringify(entry.name)}: keySha256 must be 64 lower-case hex digits`);
  }
  const table = entries.map((entry) => ({ entry, digest: Buffer.from(entry.keySha256, 'hex') }));
  return {
    find(key) {
      // crypto.hash: one call, no Hash object (a third of createHash's cost per request).
      const digest = hash('sha256', key, 'buffer');
      let found: ApiKeyEntry | undefined;
      for (const candidate of table) {
        // No early return: every entry is compared whatever the outcome.
        const same = timingSafeEqual(digest, candidate.digest);
        if (same && found === undefined) found = candidate.entry;
      }
      return found;
    },
  };
}
