/**
 * JWT verification with jose: keys from a JWKS (file or URL), pinned algorithms, exact issuer,
 * audience, `exp` and `sub` required, a small clock tolerance. Scopes come from `scope` (a
 * space-separated string, OAuth 2) and/or `scp` (an array of strings, or a string); unknown
 * scopes are ignored.
 */
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ConfigError } from '../config-error.js';
import { isScope, ScopeSet, type Caller, type JwtConfig } from './types.js';

export type JwtOutcome = { readonly ok: true; readonly caller: Caller } | { readonly ok: false; readonly reason: 'invalid' | 'expired' };

/** Rejections caused by the token itself; anything else (JWKS unreachable, bad JWKS response, a bug) is also reported. */
const TOKEN_FAULTS = new Set([
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_EXPIRED',
  'ERR_JWT_INVALID',
  'ERR_JWK_INVALID',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
]);

function keySet(config: JwtConfig): JWTVerifyGetKey {
  const { jwks } = config;
  if (jwks.kind === 'url') {
    return createRemoteJWKSet(jwks.url, { timeoutDuration: jwks.timeoutMs, cooldownDuration: jwks.cooldownMs, cacheMaxAge: jwks.cacheMaxAgeMs });
  }
  try {
    return createLocalJWKSet(jwks.jwks);
  } catch {
    throw new ConfigError('GATEWAY_JWKS_FILE', 'must hold a JSON Web Key Set: {"keys": [...]}');
  }
}

function scopesOf(payload: JWTPayload): ScopeSet {
  const words: unknown[] = [];
  const { scope, scp } = payload;
  if (typeof scope === 'string') words.push(...scope.split(' '));
  if (typeof scp === 'string') words.push(...scp.split(' '));
  else if (Array.isArray(scp)) words.push(...(scp as unknown[]));
  return new ScopeSet(words.filter(isScope));
}

export type JwtVerifier = (token: string) => Promise<JwtOutcome>;

export function createJwtVerifier(config: JwtConfig, onVerifierError: (error: unknown) => void): JwtVerifier {
  const getKey = keySet(config);
  const options = {
    issuer: config.issuer,
    audience: [...config.audience],
    algorithms: [...config.algorithms],
    clockTolerance: config.clockToleranceSeconds,
    requiredClaims: ['exp', 'sub'],
  };
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, getKey, options));
    } catch (error) {
      // jose checks the signature before the claims, so `expired` is only said of a genuine token.
      if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
      if (!(error instanceof errors.JOSEError && TOKEN_FAULTS.has(error.code))) onVerifierError(error);
      return { ok: false, reason: 'invalid' };
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') return { ok: false, reason: 'invalid' };
    return { ok: true, caller: Object.freeze({ name: payload.sub, kind: 'jwt', scopes: scopesOf(payload) }) };
  };
}
