/**
 * Sandbox of Primer's Payments API (v2.4 spec, the cancel document, FACTS §1):
 *
 *   GET  /payments/{id}          (operationId get_payment_by_id_payments__id__get)
 *   POST /payments/{id}/cancel   (operationId cancel_payment_payments__id__cancel_post)
 *
 * Errors use Primer's `{"error":{errorId, description, diagnosticsId, …}}`, except where
 * its FastAPI framework answers first: an unknown route is 404 `{"detail":"Not Found"}` and
 * a wrong method 405 `{"detail":"Method Not Allowed"}` (both before authentication).
 *
 * Cancel checks, in order: auth (X-API-KEY), version (X-API-VERSION), body validation (422),
 * payment exists (400 PaymentError), idempotency key (409), failed-request cap (409),
 * status (400 InvalidPaymentStatus).
 *
 * Assumptions: 401 uses errorId `Unauthorized` (the real errorId is undocumented); a
 * failed cancel means one answered 400 `InvalidPaymentStatus` (these count toward the cap
 * of 100 per payment); idempotency keys are remembered for the sandbox's lifetime (unless
 * `maxIdempotencyKeys` bounds them, for load tests: then the oldest are forgotten first).
 */
import { randomInt } from 'node:crypto';
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
import {
  applyCancellation,
  renderPayment,
  SHAPE_BY_API_VERSION,
  zonelessTimestamp,
  type ResponseShape,
} from './payment-shape.js';
import { parseCancelBody, parseExpandQuery, type Validated } from './request-validation.js';
import { PRIMER_SEED, type PrimerWirePayment } from './seed.js';

/** Payments are stored in the v2.4 shape. */
export interface PrimerSandbox extends PaymentSandbox {
  readonly apiKey: string;
}

export interface PrimerSandboxOptions {
  port?: number;
  apiKey?: string;
  now?: () => number;
  /** Keep the request log (default true). */
  recordRequests?: boolean;
  /** Makes a payment for an id that is not stored, on first touch (load tests; see PaymentStore). */
  createPayment?: (id: string) => PrimerWirePayment | undefined;
  /** How many idempotency keys are remembered, oldest forgotten first. Default: every one. */
  maxIdempotencyKeys?: number;
}

export const PRIMER_SANDBOX_API_KEY = 'sandbox_primer_key';

/** FACTS §1.1: after 100 failed cancel requests for a payment, Primer refuses further ones. */
export const FAILED_REQUEST_LIMIT = 100;

const PAYMENT_ROUTE = /^\/payments\/([^/]+)(\/cancel)?$/;
const CANCELLABLE = new Set(['PENDING', 'AUTHORIZED']);

const ERROR_ID_BY_STATUS: Record<number, string> = {
  413: 'RequestEntityTooLarge',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  504: 'GatewayTimeout',
};

function primerError(status: number, errorId: string, description: string, extra: Record<string, unknown> = {}): SandboxReply {
  const diagnosticsId = String(randomInt(1_000_000_000, 10_000_000_000));
  return { status, json: { error: { errorId, description, diagnosticsId, ...extra } } };
}

function validationFailure(result: Extract<Validated<unknown>, { ok: false }>): SandboxReply {
  return primerError(
    422,
    'RequestValidationError',
    'We were unable to validate your request, please check your payload against /docs/api',
    { validationErrors: [{ model: result.model, errors: result.issues }] },
  );
}

/** What a load balancer in front of the API answers with when its upstream is broken. */
function gatewayPage(status: number, title: string): SandboxReply {
  const text = `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n</body>\r\n</html>\r\n`;
  return { status, text, contentType: 'text/html' };
}

export async function createPrimerSandbox(opts: PrimerSandboxOptions = {}): Promise<PrimerSandbox> {
  const apiKey = opts.apiKey ?? PRIMER_SANDBOX_API_KEY;
  const now = opts.now ?? Date.now;
  const payments = new PaymentStore(PRIMER_SEED, { create: opts.createPayment });
  const maxIdempotencyKeys = opts.maxIdempotencyKeys ?? Infinity;
  /** idempotency key → the payment it successfully cancelled */
  let idempotencyKeys = new Map<string, string>();
  /** payment id → failed cancel requests */
  let failedCancels = new Map<string, number>();

  /** Auth, then version: a reply when the request must stop, else the response shape to use. */
  function admit(req: SandboxRequest): SandboxReply | ResponseShape {
    const key = req.headers['x-api-key'];
    if (key === undefined) return primerError(401, 'Unauthorized', 'Missing API key: send it in the X-API-KEY header');
    if (!constantTimeEqual(key, apiKey)) return primerError(401, 'Unauthorized', 'Invalid API key');
    const version = req.headers['x-api-version'];
    if (version === undefined) return 'v2'; // the earliest supported version, silently
    const shape = SHAPE_BY_API_VERSION[version.trim()];
    if (shape !== undefined) return shape;
    return primerError(400, 'InvalidApiVersion', `Unsupported API version "${version}". Use X-API-VERSION: 2.4`);
  }

  function getPayment(req: SandboxRequest, id: string, shape: ResponseShape): SandboxReply {
    const expand = parseExpandQuery(req.query);
    if (!expand.ok) return validationFailure(expand);
    const payment = payments.find(id);
    if (payment === undefined) return paymentNotFound();
    return { status: 200, json: renderPayment(payment, shape, expand.value) };
  }

  function cancelPayment(req: SandboxRequest, id: string, shape: ResponseShape): SandboxReply {
    const body = parseCancelBody(req.headers['content-type'], req.body);
    if (!body.ok) return validationFailure(body);
    const payment = payments.find(id);
    if (payment === undefined) return paymentNotFound();

    const key = req.headers['x-idempotency-key'];
    const usedFor = key ? idempotencyKeys.get(key) : undefined;
    if (usedFor !== undefined) {
      return primerError(409, 'IdempotencyKeyAlreadyExists', `The idempotency key "${key}" already exists for transaction`, {
        paymentId: usedFor,
        paymentStatus: payments.find(usedFor)?.['status'],
      });
    }
    const failed = failedCancels.get(id) ?? 0;
    if (failed >= FAILED_REQUEST_LIMIT) {
      return primerError(
        409,
        'PaymentRequestLimitExceeded',
        `The limit of ${FAILED_REQUEST_LIMIT} failed requests for this payment has been reached. Do not retry.`,
        { paymentId: id, paymentStatus: payment['status'] },
      );
    }
    const status = payment['status'];
    if (typeof status !== 'string' || !CANCELLABLE.has(status)) {
      failedCancels.set(id, failed + 1);
      const described = String(status).toLowerCase().replaceAll('_', ' ');
      return primerError(400, 'InvalidPaymentStatus', `A ${described} payment cannot be cancelled`, {
        paymentId: id,
        paymentStatus: status,
      });
    }

    applyCancellation(payment, body.value.reason, zonelessTimestamp(now()));
    if (key) rememberIdempotencyKey(key, id);
    return { status: 200, json: renderPayment(payment, shape, body.value.expandEvents) };
  }

  function rememberIdempotencyKey(key: string, id: string): void {
    idempotencyKeys.set(key, id);
    if (idempotencyKeys.size > maxIdempotencyKeys) idempotencyKeys.delete(idempotencyKeys.keys().next().value as string);
  }

  function handle(req: SandboxRequest): SandboxReply {
    const match = PAYMENT_ROUTE.exec(req.pathname);
    if (!match) return { status: 404, json: { detail: 'Not Found' } };
    const isCancel = match[2] !== undefined;
    const allowed = isCancel ? 'POST' : 'GET';
    if (req.method !== allowed) return { status: 405, json: { detail: 'Method Not Allowed' }, headers: { allow: allowed } };

    const admitted = admit(req);
    if (typeof admitted !== 'string') return admitted;
    const id = decodePathSegment(match[1] ?? '');
    return isCancel ? cancelPayment(req, id, admitted) : getPayment(req, id, admitted);
  }

  const behaviour: ProviderBehaviour = {
    handle,
    errorReply(status) {
      if (status === 502) return gatewayPage(502, 'Bad Gateway');
      if (status === 503) return gatewayPage(503, 'Service Temporarily Unavailable');
      const errorId = ERROR_ID_BY_STATUS[status] ?? (status >= 500 ? 'InternalServerError' : 'RequestError');
      return primerError(status, errorId, `The request could not be processed (HTTP ${status})`);
    },
    brokenJson: '{"id":"kHdEw9EG","date":"2021-02-21T15:36:16.367687","status":',
    resetState() {
      payments.reset();
      idempotencyKeys = new Map();
      failedCancels = new Map();
    },
  };

  const control = await startSandboxServer(behaviour, {
    ...(opts.port === undefined ? {} : { port: opts.port }),
    ...(opts.recordRequests === undefined ? {} : { recordRequests: opts.recordRequests }),
  });
  return Object.assign(control, {
    apiKey,
    putPayment: (raw: Record<string, unknown>) => payments.put(raw),
    getPayment: (id: string) => payments.copy(id),
  });
}

function paymentNotFound(): SandboxReply {
  return primerError(400, 'PaymentError', 'The payment could not be found');
}

