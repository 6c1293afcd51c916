/**
 * HMAC request signing, as the provider documents it:
 * `X-Signature: sha256=<hex HMAC-SHA256(secret, "${timestamp}.${body}")>` with the timestamp
 * in milliseconds, sent as `X-Timestamp`, and the key as `X-API-Key`.
 */
import { createHmac } from 'node:crypto';

export function hmacSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** The authentication headers for one attempt; `nowMs` must be read right before sending. */
export function hmacAuthHeaders(apiKey: string, secret: string, nowMs: number, body: string): Record<string, string> {
  const timestamp = String(Math.trunc(nowMs));
  return {
    'X-API-Key': apiKey,
    'X-Timestamp': timestamp,
    'X-Signature': hmacSignature(secret, timestamp, body),
  };
}
