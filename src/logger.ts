/**
 * Structured JSON logs (pino). Secrets are never passed to the logger; the redaction list
 * is a second line of defence for header and credential fields.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'apiKey',
  'apiSecret',
  '*.apiKey',
  '*.apiSecret',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["x-signature"]',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  '*.headers["x-signature"]',
];

export function createLogger(options: { level?: string; destination?: DestinationStream; pretty?: boolean } = {}): Logger {
  const settings = {
    level: options.level ?? 'info',
    base: { service: 'payments-gateway' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  // In a terminal, readable lines; anywhere else (files, log shippers), one JSON object a line.
  if (options.pretty && !options.destination) {
    return pino({ ...settings, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' } } });
  }
  // Anywhere else, written synchronously: pino's default destination writes through libuv's
  // thread pool, so a line could be lost in a crash after the answer it records was sent (an
  // audit record, say), and every line cost a round trip to another thread, dearer than the
  // write itself (README, Performance).
  return pino(settings, options.destination ?? pino.destination({ dest: 1, sync: true }));
}
