/** The shared vocabulary of authentication: scopes, callers, results and configuration. */
import type { JSONWebKeySet } from 'jose';

export const SCOPES = ['payments:read', 'payments:cancel', 'schema:introspect', 'documents:any'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

export interface Caller {
  readonly name: string;
  readonly kind: 'api-key' | 'jwt' | 'development-key';
  readonly scopes: ReadonlySet<Scope>;
}

export type AuthFailureReason = 'missing' | 'malformed' | 'invalid' | 'expired';

export type AuthResult =
  | { readonly ok: true; readonly caller: Caller }
  /** `message` is safe to show the caller: it never echoes the credential or says which key entry exists. */
  | { readonly ok: false; readonly reason: AuthFailureReason; readonly message: string };

export interface ApiKeyEntry {
  readonly name: string;
  /** 64 lower-case hex digits: the SHA-256 of the key, which is never stored. */
  readonly keySha256: string;
  readonly scopes: readonly Scope[];
}

/** Public-key algorithms a token may be signed with; `none` and HS* (shared secrets) are never accepted. */
export const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** Where the verification keys come from. */
export type JwksSource =
  /** Read once at start-up (by loadAuthConfig); public keys only. */
  | { readonly kind: 'file'; readonly path: string; readonly jwks: JSONWebKeySet }
  /** Fetched by jose on first use, cached, refetched on an unknown `kid` at most once per cooldown. */
  | { readonly kind: 'url'; readonly url: URL; readonly timeoutMs: number; readonly cooldownMs: number; readonly cacheMaxAgeMs: number };

export interface JwtConfig {
  readonly jwks: JwksSource;
  /** The exact `iss` a token must carry. */
  readonly issuer: string;
  /** A token's `aud` must contain at least one of these. */
  readonly audience: readonly string[];
  /** Pinned: a token whose header `alg` is not listed is refused before any key is looked up. */
  readonly algorithms: readonly JwtAlgorithm[];
  /** Allowed clock skew for `exp` and `nbf`. */
  readonly clockToleranceSeconds: number;
}

export interface AuthConfig {
  readonly apiKeys: readonly ApiKeyEntry[];
  readonly jwt: JwtConfig | null;
}
