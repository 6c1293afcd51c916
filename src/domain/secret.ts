import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A secret value (provider key, HMAC secret) that refuses to print: string conversion,
 * JSON and util.inspect all show `[redacted]`. Only `reveal()` gives the value, at the one
 * place that puts it on the wire.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
