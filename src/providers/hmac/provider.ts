/**
 * The HMAC provider adapter: signs each attempt, calls the provider, and turns its answers
 * into the gateway's model through the pure transforms.
 */
import type { Logger } from 'pino';
import type { Payment } from '../../domain/payment.js';
import type { ProviderCallEvent } from '../../observability/metrics.js';
import type { Secret } from '../../domain/secret.js';
import { ProviderUnavailableError } from '../errors.js';
import { readProviderPayment } from '../read-payment.js';
import { createProviderHttp, type ProviderHttpResponse, type ProviderTimeouts, type ResilienceOptions } from '../http.js';
import type { CallOptions, PaymentProviderAdapter, ProviderCancelRequest, ProviderCancelResult } from '../types.js';
import { cancelPath, readPath } from './assumptions.js';
import { hmacAuthHeaders } from './signing.js';
import { classifyHmacResponse, toPayment } from './transforms.js';

export interface HmacProviderOptions {
  readonly baseUrl: URL;
  readonly apiKey: Secret;
  readonly apiSecret: Secret;
  readonly logger: Logger;
  readonly timeouts?: ProviderTimeouts | undefined;
  readonly resilience?: Partial<ResilienceOptions> | undefined;
  readonly onProviderCall?: ((event: ProviderCallEvent) => void) | undefined;
  /** The clock used for X-Timestamp; read again for every attempt. */
  readonly now?: (() => number) | undefined;
}

export function createHmacProvider(options: HmacProviderOptions): PaymentProviderAdapter {
  const now = options.now ?? Date.now;
  const log = options.logger.child({ provider: 'HMAC' });
  const http = createProviderHttp({ provider: 'HMAC', baseUrl: options.baseUrl, logger: log, timeouts: options.timeouts, resilience: options.resilience,
    onAttempt: (event) => options.onProviderCall?.({ provider: 'HMAC', method: event.method, outcome: event.outcome, seconds: event.seconds }),
  });
  const signedHeaders = (body: string) =>
    hmacAuthHeaders(options.apiKey.reveal(), options.apiSecret.reveal(), now(), body);

  const unavailable = (response: ProviderHttpResponse, failure: ProviderUnavailableError['failure'], code?: string) =>
    new ProviderUnavailableError('HMAC', failure, { httpStatus: response.status, providerRequestId: response.requestId, providerErrorCode: code });

  // Payment ids are UUIDs: the provider may spell one in another case than the request did.
  const readPayment = (response: ProviderHttpResponse, data: unknown, expectedId: string): Payment =>
    readProviderPayment('HMAC', toPayment, log, data, expectedId, { httpStatus: response.status, providerRequestId: response.requestId }, { caseInsensitiveId: true });

  return {
    name: 'HMAC',

    async getPayment(providerPaymentId: string, callOptions: CallOptions = {}): Promise<Payment | null> {
      const response = await http.send({ method: 'GET', retry: 'idempotent', path: readPath(providerPaymentId), headers: signedHeaders, signal: callOptions.signal });
      const reply = classifyHmacResponse(response.status, response.body);
      switch (reply.kind) {
        case 'ok':
          return readPayment(response, reply.data, providerPaymentId);
        case 'not_found':
          return null;
        case 'refused':
          // A 400 on a read: the id is not one the provider accepts, so no such payment. A
          // 409 or 422 is no documented answer to a read.
          if (response.status === 400) return null;
          throw unavailable(response, 'unreadable_response');
        case 'failure':
          throw unavailable(response, reply.failure, reply.code);
      }
    },

    async cancelPayment(request: ProviderCancelRequest): Promise<ProviderCancelResult> {
      // The document's cancel has no body; the signature covers the empty body.
      const response = await http.send({ method: 'POST', retry: 'unprocessed-only', path: cancelPath(request.providerPaymentId), headers: signedHeaders, signal: request.signal });
      const reply = classifyHmacResponse(response.status, response.body);
      switch (reply.kind) {
        case 'ok':
          return { type: 'canceled', payment: readPayment(response, reply.data, request.providerPaymentId) };
        case 'not_found':
          return { type: 'not_found' };
        case 'refused':
          return { type: 'refused_by_status' };
        case 'failure':
          throw unavailable(response, reply.failure, reply.code);
      }
    },

    breakerState: () => http.breakerState(),
    close: () => http.close(),
  };
}
