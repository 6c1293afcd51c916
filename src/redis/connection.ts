/**
 * One fail-fast Redis connection (ioredis), as the idempotency ledger and the rate limiter use
 * it: connects on first use, no offline queue, short connect and command timeouts, a
 * background reconnect with a capped delay, and connection errors kept (never unhandled).
 */
import { Redis } from 'ioredis';

export interface RedisConnection {
  readonly client: Redis;
  /** Resolves once the connection is ready: connects on first use, waits out a connect in progress. */
  ready(): Promise<void>;
  /** Quits, or disconnects when quitting is not possible; never hangs. */
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 1_000;
const MAX_RECONNECT_DELAY_MS = 2_000;

export function createRedisConnection(url: string, options: { readonly purpose: string; readonly commandTimeoutMs: number }): RedisConnection {
  let client: Redis;
  try {
    client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: CONNECT_TIMEOUT_MS,
      commandTimeout: options.commandTimeoutMs,
      retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
      // How long disconnect() lets a socket end gracefully before destroying it (default 2 s,
      // which would keep a process alive that long after close()).
      disconnectTimeout: 500,
    });
  } catch {
    // The parser's error may quote the URL, password included.
    throw new Error(`The Redis URL of the ${options.purpose} is not valid.`);
  }
  let lastError: unknown;
  client.on('error', (error: unknown) => (lastError = error));
  client.on('ready', () => (lastError = undefined));

  let connecting: Promise<void> | null = null;
  function ready(): Promise<void> {
    if (client.status === 'ready') return Promise.resolve();
    if (connecting) return connecting;
    if (client.status === 'wait') client.connect().catch(() => {});
    if (client.status !== 'connecting' && client.status !== 'connect') {
      return Promise.reject(new Error(`The Redis connection is ${client.status}.`, { cause: lastError }));
    }
    connecting = new Promise<void>((resolve, reject) => {
      const done = (error?: Error): void => {
        clearTimeout(timer);
        client.off('ready', onReady);
        client.off('close', onClose);
        connecting = null;
        if (error) reject(error);
        else resolve();
      };
      const onReady = (): void => done();
      const onClose = (): void => done(new Error('The Redis connection closed before it was ready.', { cause: lastError }));
      const timer = setTimeout(() => done(new Error('Timed out connecting to Redis.', { cause: lastError })), CONNECT_TIMEOUT_MS + 250);
      client.once('ready', onReady);
      client.once('close', onClose);
    });
    return connecting;
  }

  return {
    client,
    ready,
    async close() {
      try {
        // QUIT on a connection that is not ready would connect first, or fail: skip it.
        if (client.status === 'ready') await client.quit();
      } catch {
        // The connection is going away regardless.
      } finally {
        client.disconnect();
      }
    },
  };
}
