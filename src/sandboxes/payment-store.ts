/**
 * A sandbox's in-memory payments: raw wire objects keyed by their `id`, restorable to the
 * seed. Callers get copies; only the provider logic mutates the stored objects.
 */
export class PaymentStore {
  private payments = new Map<string, Record<string, unknown>>();

  constructor(private readonly seed: readonly Record<string, unknown>[]) {
    this.reset();
  }

  reset(): void {
    this.payments = new Map(this.seed.map((payment) => [String(payment['id']), structuredClone(payment)]));
  }

  /** The stored object itself, for the provider logic to read and change. */
  find(id: string): Record<string, unknown> | undefined {
    return this.payments.get(id);
  }

  /** Store or replace a raw wire payment by its `id`; it is served verbatim. */
  put(raw: Record<string, unknown>): void {
    const id = raw['id'];
    if (typeof id !== 'string') throw new TypeError('putPayment needs a payment with a string `id`');
    this.payments.set(id, structuredClone(raw));
  }

  /** A copy of the stored payment. */
  copy(id: string): Record<string, unknown> | undefined {
    const payment = this.payments.get(id);
    return payment === undefined ? undefined : structuredClone(payment);
  }
}
