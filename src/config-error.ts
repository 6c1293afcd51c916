/** An invalid configuration variable: start-up stops with one line naming it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly variable: string, detail: string) {
    super(`${variable} ${detail}`);
  }
}
