/**
 * API keys are compared with every entry, in constant time, whichever entry matches: counted
 * through a pass-through wrapper around crypto.timingSafeEqual.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthenticator, sha256Hex, type ApiKeyEntry } from '../../src/auth/index.js';

const compared = vi.hoisted(() => ({ calls: 0, lengths: [] as number[] }));

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  const timingSafeEqual = (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView): boolean => {
    compared.calls += 1;
    compared.lengths.push(a.byteLength, b.byteLength);
    return actual.timingSafeEqual(a, b);
  };
  return { ...actual, default: { ...actual, timingSafeEqual }, timingSafeEqual };
});

const ENTRIES = 5;
const keyOf = (i: number): string => `sk_test_entry_${i}_${'x'.repeat(24)}`;
const entries: ApiKeyEntry[] = Array.from({ length: ENTRIES }, (_, i) => ({ name: `service-${i}`, keySha256: sha256Hex(keyOf(i)), scopes: ['payments:read'] }));

beforeEach(() => {
  compared.calls = 0;
  compared.lengths = [];
});

describe('API key comparison', () => {
  it.each(Array.from({ length: ENTRIES }, (_, i) => i))('the key of entry %i is compared with all entries, as 32-byte digests', async (position) => {
    const auth = await createAuthenticator({ apiKeys: entries, jwt: null });
    const result = await auth.authenticate(`Bearer ${keyOf(position)}`);
    expect(result).toMatchObject({ ok: true, caller: { name: `service-${position}`, kind: 'api-key' } });
    expect(compared.calls).toBe(ENTRIES);
    expect(new Set(compared.lengths)).toEqual(new Set([32]));
  });

  it.each([0, 2, 4])('the result does not depend on where the matching entry stands (moved to %i)', async (position) => {
    const reordered = entries.filter((_, i) => i !== 1);
    reordered.splice(position, 0, entries[1]!);
    const auth = await createAuthenticator({ apiKeys: reordered, jwt: null });
    expect(await auth.authenticate(`Bearer ${keyOf(1)}`)).toMatchObject({ ok: true, caller: { name: 'service-1' } });
    expect(await auth.authenticate(`Bearer ${keyOf(9)}`)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(compared.calls).toBe(2 * ENTRIES);
  });

  it('an unknown key, short or long, is compared with all entries too', async () => {
    const auth = await createAuthenticator({ apiKeys: entries, jwt: null });
    for (const key of ['x', keyOf(0).slice(0, -1), 'k'.repeat(4000)]) {
      expect(await auth.authenticate(`Bearer ${key}`)).toMatchObject({ ok: false, reason: 'invalid' });
    }
    expect(compared.calls).toBe(3 * ENTRIES);
    expect(new Set(compared.lengths)).toEqual(new Set([32]));
  });
});
