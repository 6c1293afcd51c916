/** Helpers for the authentication tests: signing keys, a JWKS on disk or over HTTP, tokens. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JSONWebKeySet, type JWTPayload } from 'jose';
import { ConfigError } from '../../src/config-error.js';

export const ISSUER = 'https://sso.example.test/';
export const AUDIENCE = 'payments-gateway';

export interface SigningKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: Record<string, unknown>;
}

export async function signingKey(alg: 'RS256' | 'ES256' | 'RS384', kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export function jwksOf(...keys: readonly SigningKey[]): JSONWebKeySet {
  return { keys: keys.map((key) => key.publicJwk) } as JSONWebKeySet;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export interface TokenOptions {
  readonly claims?: JWTPayload;
  /** Claims to leave out of the defaults (sub, iss, aud, iat, exp). */
  readonly omit?: readonly string[];
  /** Overrides the header's alg (to sign with a different algorithm than the key's). */
  readonly alg?: string;
  /** Overrides the header's kid; null leaves it out. */
  readonly kid?: string | null;
}

/** A token signed by `key` that the gateway accepts unless `options` say otherwise. */
export async function signToken(key: SigningKey, options: TokenOptions = {}): Promise<string> {
  const defaults: JWTPayload = { sub: 'user-42', iss: ISSUER, aud: AUDIENCE, iat: nowSeconds(), exp: nowSeconds() + 600, scope: 'payments:read' };
  const payload: JWTPayload = { ...defaults, ...options.claims };
  for (const claim of options.omit ?? []) delete payload[claim];
  const kid = options.kid === undefined ? key.kid : options.kid;
  return new SignJWT(payload).setProtectedHeader({ alg: options.alg ?? key.alg, typ: 'JWT', ...(kid === null ? {} : { kid }) }).sign(key.privateKey);
}

/** An HS256 token signed with a guessable shared secret (the classic algorithm-confusion attempt). */
export async function hs256Token(secret: string, kid: string): Promise<string> {
  const payload: JWTPayload = { sub: 'attacker', iss: ISSUER, aud: AUDIENCE, exp: nowSeconds() + 600, scope: 'payments:cancel' };
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', kid }).sign(new TextEncoder().encode(secret));
}

/** An unsigned token: header `{"alg":"none"}` and an empty signature. */
export function unsignedToken(): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'attacker', iss: ISSUER, aud: AUDIENCE, exp: nowSeconds() + 600, scope: 'payments:cancel' })}.`;
}

/** A temporary directory, removed by the returned function. */
export function tempDir(): { readonly path: string; readonly remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'pgw-auth-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

/** An HTTP server on 127.0.0.1 with an ephemeral port. */
export async function httpServer(listener: RequestListener): Promise<{ readonly server: Server; readonly url: string; readonly close: () => Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The ConfigError `load` throws, failing the test when it throws nothing or something else. */
export function configErrorOf(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
