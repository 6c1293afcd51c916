/**
 * Who may call the gateway: API keys (stored as SHA-256 hashes) and JWTs verified against a
 * JWKS. Wiring into the server happens elsewhere; this module only answers "who is this?".
 */
export { SCOPES, ScopeSet, type Scope, type Caller, type AuthFailureReason, type AuthResult, type ApiKeyEntry, type AuthConfig, type JwtConfig, type JwksSource, type JwtAlgorithm, JWT_ALGORITHMS } from './types.js';
export { loadAuthConfig, hasCredentials, DEFAULT_JWT_ALGORITHMS, JWT_CLOCK_TOLERANCE_SECONDS, JWKS_DEFAULT_TIMEOUT_MS } from './config.js';
export { createAuthenticator, MAX_AUTHORIZATION_LENGTH, type Authenticator, type AuthenticatorOptions } from './authenticator.js';
export { createDevelopmentKey, sha256Hex, DEVELOPMENT_KEY_NAME } from './api-keys.js';
