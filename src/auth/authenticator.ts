/**
 * `Authorization: Bearer <credential>` to a Caller. A credential of three base64url parts
 * separated by two dots is a JWT; anything else is an API key. Failure messages are fixed
 * strings: they never echo the credential and never say which key entry exists.
 */
import { createApiKeyTable, DEVELOPMENT_KEY_NAME } from './api-keys.js';
import type { JwtVerifier } from './jwt.js';
import { ScopeSet, type AuthConfig, type AuthFailureReason, type AuthResult } from './types.js';

export interface Authenticator {
  authenticate(authorization: string | undefined): Promise<AuthResult>;
  /**
   * The same answer, given synchronously when no I/O is needed (API keys, refusals of the
   * header's shape): a promise only for a JWT. For the lean path, where every await costs.
   */
  authenticateNow(authorization: string | undefined): AuthResult | Promise<AuthResult>;
}

export interface AuthenticatorOptions {
  /**
   * Told of a JWT rejected for a reason that is not the token's fault: the remote JWKS timed
   * out, was unreachable or answered badly, or an unexpected error. The request is still
   * refused as `invalid`; this is for logging. Never called with the token.
   */
  readonly onVerifierError?: (error: unknown) => void;
}

/** Longest Authorization header accepted (a large JWT is 2-4 KB). */
export const MAX_AUTHORIZATION_LENGTH = 8192;

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

const MESSAGES: Record<AuthFailureReason, string> = {
  missing: 'Authentication required: send "Authorization: Bearer <credential>".',
  malformed: 'The Authorization header must be "Bearer <credential>": one credential of visible ASCII characters.',
  invalid: 'The credential was not accepted.',
  expired: 'The token has expired.',
};

function failure(reason: AuthFailureReason): AuthResult {
  return { ok: false, reason, message: MESSAGES[reason] };
}

/** Visible ASCII, `!` to `~`: what a scheme and a credential are made of. */
const visible = (code: number): boolean => code > 0x20 && code < 0x7f;

/**
 * The credential of a well-formed Bearer header, or why there is none: after trimming, a
 * scheme of visible ASCII characters, one or more spaces, a credential of visible ASCII
 * characters, nothing else (the scheme `Bearer` in any case). Read character by character,
 * not by a regular expression: the expression's match array and engine cost about 2 µs a
 * request here (perf profile).
 */
export function bearerCredential(authorization: string | undefined): { readonly credential: string } | { readonly reason: 'missing' | 'malformed' } {
  const header = authorization?.trim() ?? '';
  if (header === '') return { reason: 'missing' };
  if (header.length > MAX_AUTHORIZATION_LENGTH) return { reason: 'malformed' };
  let at = 0;
  while (at < header.length && visible(header.charCodeAt(at))) at += 1;
  const scheme = at;
  while (at < header.length && header.charCodeAt(at) === 0x20) at += 1;
  const start = at;
  while (at < header.length && visible(header.charCodeAt(at))) at += 1;
  if (scheme === 0 || start === scheme || start === header.length || at !== header.length) return { reason: 'malformed' };
  if (scheme !== 6 || (!header.startsWith('Bearer') && header.slice(0, 6).toLowerCase() !== 'bearer')) return { reason: 'malformed' };
  return { credential: header.slice(start) };
}

export function isJwtShaped(credential: string): boolean {
  // An API key has no dot, as a rule: it is refused without running the expression.
  return credential.includes('.') && JWT_SHAPE.test(credential);
}

export async function createAuthenticator(config: AuthConfig, options: AuthenticatorOptions = {}): Promise<Authenticator> {
  // One result per entry, made here: a caller's scopes cannot be changed (ScopeSet), so all
  // of a key's requests share it.
  const apiKeys = createApiKeyTable(config.apiKeys, (entry): AuthResult => {
    const kind = entry.name === DEVELOPMENT_KEY_NAME ? 'development-key' : 'api-key';
    return Object.freeze({ ok: true, caller: Object.freeze({ name: entry.name, kind, scopes: new ScopeSet(entry.scopes) }) });
  });
  const report = options.onVerifierError ?? (() => {});
  // jose is loaded only when JWTs are configured (about 1 MB of heap otherwise kept for nothing).
  const verifyJwt: JwtVerifier | null = config.jwt === null ? null : (await import('./jwt.js')).createJwtVerifier(config.jwt, report);

  async function verify(credential: string, verifier: JwtVerifier): Promise<AuthResult> {
    const outcome = await verifier(credential);
    return outcome.ok ? outcome : failure(outcome.reason);
  }

  function authenticate(authorization: string | undefined): AuthResult | Promise<AuthResult> {
    const parsed = bearerCredential(authorization);
    if ('reason' in parsed) return failure(parsed.reason);
    const { credential } = parsed;
    if (isJwtShaped(credential)) return verifyJwt === null ? failure('invalid') : verify(credential, verifyJwt);
    return apiKeys.find(credential) ?? failure('invalid');
  }

  // Never a crash: an unexpected error refuses the request.
  const refuse = (error: unknown): AuthResult => {
    report(error);
    return failure('invalid');
  };

  function authenticateNow(authorization: string | undefined): AuthResult | Promise<AuthResult> {
    try {
      const result = authenticate(authorization);
      return result instanceof Promise ? result.catch(refuse) : result;
    } catch (error) {
      return refuse(error);
    }
  }

  return {
    authenticateNow,
    async authenticate(authorization) {
      return authenticateNow(authorization);
    },
  };
}
