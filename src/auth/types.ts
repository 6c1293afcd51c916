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

/**
 * A caller's scopes, fixed when made: it has no add, delete or clear, and the Set behind it is
 * private (`Set.prototype.add.call` on it throws). So one caller made per API key entry at
 * start-up is shared by all its requests, where a copy per request (a Set and a frozen
 * object) cost about 1.5 µs of a read here (perf profile).
 */
export class ScopeSet implements ReadonlySet<Scope> {
  readonly #scopes: Set<Scope>;

  constructor(scopes: Iterable<Scope>) {
    this.#scopes = new Set(scopes);
    Object.freeze(this);
  }

  get size(): number {
    return this.#scopes.size;
  }

  has(scope: Scope): boolean {
    return this.#scopes.has(scope);
  }

  forEach(callback: (value: Scope, key: Scope, set: ReadonlySet<Scope>) => void, thisArg?: unknown): void {
    for (const scope of this.#scopes) callback.call(thisArg, scope, scope, this);
  }

  entries(): SetIterator<[Scope, Scope]> {
    return this.#scopes.entries();
  }

  keys(): SetIterator<Scope> {
    return this.#scopes.keys();
  }

  values(): SetIterator<Scope> {
    return this.#scopes.values();
  }

  [Symbol.iterator](): SetIterator<Scope> {
    return this.#scopes.values();
  }
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
