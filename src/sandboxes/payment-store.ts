/**
 * A sandbox's in-memory payments: raw wire objects keyed by their `id`, restorable to the
 * seed. Callers get copies; only the provider logic mutates the stored objects.
 *
 * For load tests (bench/), a store can also make payments on first touch: `create` is asked
 * for any id that is not stored, so every cancel can meet a fresh cancellable payment. Such
 * payments are kept in a bounded first-in, first-out set: past `maxCreated` the oldest is
 * forgotten, and touching its id again makes it anew.
 */
export interface PaymentStoreOptions {
  /** A raw wire payment for an id that is not stored, or undefined for none. Default: none. */
  readonly create?: ((id: string) => Record<string, unknown> | undefined) | undefined;
  /** How many created payments are kept at most (default 10 000). */
  readonly maxCreated?: number | undefined;
}

const DEFAULT_MAX_CREATED = 10_000;

export class PaymentStore {
  private payments = new Map<string, Record<string, unknown>>();
  /** Ids of payments made by `create`, oldest first. */
  private created = new Set<string>();
  private readonly create: PaymentStoreOptions['create'];
  private readonly maxCreated: number;

  constructor(
    private readonly seed: readonly Record<string, unknown>[],
    options: PaymentStoreOptions = {},
  ) {
    this.create = options.create;
    this.maxCreated = Math.max(1, options.maxCreated ?? DEFAULT_MAX_CREATED);
    this.reset();
  }

  reset(): void {
    this.payments = new Map(this.seed.map((payment) => [String(payment['id']), structuredClone(payment)]));
    this.created = new Set();
  }

  /** The stored object itself, for the provider logic to read and change. */
  find(id: string): Record<string, unknown> | undefined {
    return this.payments.get(id) ?? this.createOnFirstTouch(id);
  }

  /** Store or replace a raw wire payment by its `id`; it is served verbatim. */
  put(raw: Record<string, unknown>): void {
    const id = raw['id'];
    if (typeof id !== 'string') throw new TypeError('putPayment needs a payment with a string `id`');
    this.payments.set(id, structuredClone(raw));
    this.created.delete(id);
  }

  /** A copy of the stored payment. */
  copy(id: string): Record<string, unknown> | undefined {
    const payment = this.payments.get(id);
    return payment === undefined ? undefined : structuredClone(payment);
  }

  private createOnFirstTouch(id: string): Record<string, unknown> | undefined {
    const raw = this.create?.(id);
    if (raw === undefined) return undefined;
    const payment = { ...structuredClone(raw), id };
    this.payments.set(id, payment);
    this.created.add(id);
    if (this.created.size > this.maxCreated) {
      const oldest = this.created.values().next().value as string;
      this.created.delete(oldest);
      this.payments.delete(oldest);
    }
    return payment;
  }
}
