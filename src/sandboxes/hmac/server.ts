/**
 * Sandbox of the HMAC-signed provider, as its cancel document describes it:
 *
 *   POST /api/v1/payments/{payment_id}/cancel   (documented)
 *   GET  /api/v1/payments/{payment_id}          (assumed, DESIGN §5: same signing with an
 *                                                empty body, same envelope, 404 RESOURCE_NOT_FOUND)
 *
 * Every API request is authenticated with X-API-Key, X-Timestamp (Unix milliseconds) and
 * X-Signature: `sha256=` + hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`).
 *
 * Assumptions, each kept here:
 * - Authentication failures are 401 with the `{success:false,error:{code,message}}` envelope
 *   (DESIGN §5). The checks run in a fixed order: headers present, key, timestamp, signature.
 * - The route is matched before authentication: an unknown route is 404 `NOT_FOUND` and a
 *   wrong method on a known route 405, whether or not the request is signed.
 * - An id that is not a stored payment (including one that is not a UUID) is 404 RESOURCE_NOT_FOUND.
 * - A request body on cancel is accepted and ignored; it is still part of the signature.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  constantTimeEqual,
  decodePathSegment,
  startSandboxServer,
  type ProviderBehaviour,
  type PaymentSandbox,
  type SandboxReply,
  type SandboxRequest,
} from '../http-sandbox.js';
import { PaymentStore } from '../payment-store.js';
import { HMAC_SEED, type HmacWirePayment } from './seed.js';

export interface HmacSandbox extends PaymentSandbox {
  readonly apiKey: string;
  readonly apiSecret: string;
}

export interface HmacSandboxOptions {
  port?: number;
  apiKey?: string;
  apiSecret?: string;
  /** How far X-Timestamp may be from now(), either way. Default 300 000 ms. */
  timestampToleranceMs?: number;
  now?: () => number;
  /** Keep the request log (default true). */
  recordRequests?: boolean;
  /** Makes a payment for an id that is not stored, on first touch (load tests; see PaymentStore). */
  createPayment?: (id: string) => HmacWirePayment | undefined;
}

export const HMAC_SANDBOX_API_KEY = 'sandbox_hmac_key';
export const HMAC_SANDBOX_API_SECRET = 'sandbox_hmac_secret';

const JSON_TYPE = 'application/json; charset=utf-8';
const PAYMENT_ROUTE = /^\/api\/v1\/payments\/([^/]+)(\/cancel)?$/;

const CANCELLABLE = new Set([
  'processing',
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'requires_capture',
]);

/** Why a status cannot be cancelled, completing "Payment cannot be cancelled because …". */
const NOT_CANCELLABLE_BECAUSE: Record<string, string> = {
  succeeded: 'it has already been completed',
  canceled: 'it has already been cancelled',
  expired: 'it has expired',
  payment_failed: 'it has already failed',
};

const ERROR_CODE_BY_STATUS: Record<number, string> = {
  400: 'VALIDATION_ERROR',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  500: 'INTERNAL_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

const ERROR_MESSAGE_BY_STATUS: Record<number, string> = {
  413: 'Request body too large',
  429: 'Too many requests, please retry later',
  500: 'An unexpected error occurred',
  502: 'Upstream service returned an invalid response',
  503: 'Service temporarily unavailable',
  504: 'Upstream service timed out',
};

function failure(status: number, code: string, message: string, headers?: Record<string, string>): SandboxReply {
  const reply: SandboxReply = { status, json: { success: false, error: { code, message } }, contentType: JSON_TYPE };
  if (headers) reply.headers = headers;
  return reply;
}

export async function createHmacSandbox(opts: HmacSandboxOptions = {}): Promise<HmacSandbox> {
  const apiKey = opts.apiKey ?? HMAC_SANDBOX_API_KEY;
  const apiSecret = opts.apiSecret ?? HMAC_SANDBOX_API_SECRET;
  const toleranceMs = opts.timestampToleranceMs ?? 300_000;
  const now = opts.now ?? Date.now;
  const payments = new PaymentStore(HMAC_SEED, { create: opts.createPayment });

  /** The first failed check, as the message the provider answers; undefined when authentic. */
  function authenticationFailure(req: SandboxRequest): string | undefined {
    const key = req.headers['x-api-key'];
    const timestamp = req.headers['x-timestamp'];
    const signature = req.headers['x-signature'];
    if (!key || !timestamp || !signature) {
      const missing = Object.entries({ 'X-API-Key': key, 'X-Timestamp': timestamp, 'X-Signature': signature })
        .filter(([, value]) => !value)
        .map(([name]) => name);
      return `Missing authentication header: ${missing.join(', ')}`;
    }
    if (!constantTimeEqual(key, apiKey)) return 'Invalid API key';
    if (!/^\d{1,16}$/.test(timestamp)) return 'Invalid timestamp: expected Unix time in milliseconds';
    if (Math.abs(now() - Number(timestamp)) > toleranceMs) return 'Request timestamp outside the allowed window';
    const hex = /^sha256=([0-9a-f]{64})$/.exec(signature)?.[1];
    if (hex === undefined) return 'Invalid signature format: expected sha256=<hex>';
    const expected = createHmac('sha256', apiSecret).update(`${timestamp}.`).update(req.body).digest();
    if (!timingSafeEqual(Buffer.from(hex, 'hex'), expected)) return 'Invalid signature';
    return undefined;
  }

  function handle(req: SandboxRequest): SandboxReply {
    const match = PAYMENT_ROUTE.exec(req.pathname);
    if (!match) return failure(404, 'NOT_FOUND', `Route ${req.method} ${req.pathname} not found`);
    const isCancel = match[2] !== undefined;
    const allowed = isCancel ? 'POST' : 'GET';
    if (req.method !== allowed) {
      return failure(405, 'METHOD_NOT_ALLOWED', `Method ${req.method} is not allowed on this route`, { allow: allowed });
    }
    const authFailure = authenticationFailure(req);
    if (authFailure !== undefined) return failure(401, 'UNAUTHORIZED', authFailure);

    const payment = payments.find(decodePathSegment(match[1] ?? ''));
    if (payment === undefined) return failure(404, 'RESOURCE_NOT_FOUND', 'Payment not found');
    if (!isCancel) return success(payment);

    const status = payment['status'];
    if (typeof status === 'string' && CANCELLABLE.has(status)) {
      const at = new Date(now()).toISOString();
      Object.assign(payment, { status: 'canceled', clientSecret: null, nextAction: null, canceledAt: at, updatedAt: at });
      return success(payment);
    }
    const because =
      (typeof status === 'string' ? NOT_CANCELLABLE_BECAUSE[status] : undefined) ??
      `its status is ${JSON.stringify(status ?? null)}`;
    return failure(400, 'VALIDATION_ERROR', `Payment cannot be cancelled because ${because}`);
  }

  const behaviour: ProviderBehaviour = {
    handle,
    errorReply(status) {
      const code = ERROR_CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'ERROR');
      return failure(status, code, ERROR_MESSAGE_BY_STATUS[status] ?? `Request failed with status ${status}`);
    },
    brokenJson: '{"success":true,"data":{"id":',
    resetState() {
      payments.reset();
    },
  };

  const control = await startSandboxServer(behaviour, {
    ...(opts.port === undefined ? {} : { port: opts.port }),
    ...(opts.recordRequests === undefined ? {} : { recordRequests: opts.recordRequests }),
  });
  return Object.assign(control, {
    apiKey,
    apiSecret,
    putPayment: (raw: Record<string, unknown>) => payments.put(raw),
    getPayment: (id: string) => payments.copy(id),
  });
}


function success(payment: Record<string, unknown>): SandboxReply {
  return { status: 200, json: { success: true, data: payment }, contentType: JSON_TYPE };
}
