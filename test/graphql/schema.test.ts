import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { buildSchema, isObjectType } from 'graphql';
import { loadTypeDefs } from '../../src/graphql/schema.js';

/**
 * Whether V8 holds `text` as a one-byte string. Its serializer writes a string as a tag, '"'
 * for one byte per character or 'c' for two, after any padding bytes (0).
 */
function isOneByte(text: string): boolean {
  const bytes = serialize(text);
  let at = 2; // after the version header
  while (bytes[at] === 0) at += 1;
  if (bytes[at] === 0x22) return true;
  if (bytes[at] === 0x63) return false;
  throw new Error(`unexpected serialization tag ${bytes[at]}`);
}

describe('the schema source', () => {
  it('is ASCII, so every name parsed from it is a one-byte string', () => {
    // One character beyond Latin-1 anywhere in the SDL (a `−` in a description did) makes V8 hold
    // the whole SDL, every name sliced from it and so every key of every response as two-byte
    // strings: each answer then takes the slow paths of JSON.stringify, Buffer.byteLength and
    // the socket's UTF-8 encoding (README, Performance).
    const sdl = loadTypeDefs();
    const beyondAscii = [...sdl.matchAll(/[^\x00-\x7f]/g)].map((match) => `${JSON.stringify(match[0])} at ${match.index}`);
    expect(beyondAscii).toEqual([]);
    const payment = buildSchema(sdl).getType('Payment');
    if (!isObjectType(payment)) throw new Error('Payment is not an object type');
    const names = Object.keys(payment.getFields());
    expect(names).toContain('providerPaymentId');
    expect(names.filter((name) => !isOneByte(name))).toEqual([]);
  });

  it('tells one-byte from two-byte strings', () => {
    expect(isOneByte('providerPaymentId')).toBe(true);
    expect(isOneByte('a − b')).toBe(false);
    expect(isOneByte(`${'x'.repeat(100)}−`.slice(0, 100))).toBe(false);
  });
});
