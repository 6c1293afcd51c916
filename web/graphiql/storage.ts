/**
 * GraphiQL's storage: localStorage without request headers, which carry API keys. With
 * shouldPersistHeaders false GraphiQL leaves headers out of its tab state, but its history
 * plugin stores every run's headers regardless. Here each value keeps its headers in memory
 * (so a history entry picked on this page restores them) and reaches localStorage with every
 * `headers` field emptied; the raw headers key is never written.
 */
const NAMESPACE = 'graphiql:';
/** Keys holding JSON whose objects have a `headers` field: tabs, history, favorites. */
const WITH_HEADER_FIELDS = new Set([`${NAMESPACE}tabState`, `${NAMESPACE}queries`, `${NAMESPACE}favorites`]);
const HEADERS_KEY = `${NAMESPACE}headers`;

export interface GraphiQLStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  clear(): void;
  readonly length: number;
}

export function withoutHeaderFields(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), (field, value: unknown) => (field === 'headers' ? null : value));
  } catch {
    return JSON.stringify(null);
  }
}

export function createHeaderlessStorage(backing: Storage = localStorage): GraphiQLStorage {
  const thisPage = new Map<string, string>();
  const ownKeys = (): string[] => Array.from({ length: backing.length }, (_, i) => backing.key(i)).filter((key): key is string => key?.startsWith(NAMESPACE) ?? false);
  return {
    getItem: (key) => thisPage.get(key) ?? backing.getItem(key),
    setItem(key, value) {
      thisPage.set(key, value);
      if (key === HEADERS_KEY) backing.removeItem(key);
      else backing.setItem(key, WITH_HEADER_FIELDS.has(key) ? withoutHeaderFields(value) : value);
    },
    removeItem(key) {
      thisPage.delete(key);
      backing.removeItem(key);
    },
    clear() {
      thisPage.clear();
      for (const key of ownKeys()) backing.removeItem(key);
    },
    get length() {
      return ownKeys().length;
    },
  };
}
