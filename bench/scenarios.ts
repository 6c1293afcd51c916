/**
 * What every arm is asked, and what counts as a right answer: one place, so that U, P and G
 * do the same payment read and the same cancel.
 *
 * - The read names a payment `bench-r-<k>` (k < READ_IDS), made AUTHORIZED on first touch by
 *   the bench sandbox; reads never change it.
 * - The cancel names a fresh payment `bench-c<nonce>-<seq>` with a fresh idempotency key
 *   `bench-k<nonce>-<seq>`: every cancel meets a cancellable payment and a key never used.
 * - P answers with exactly the JSON G answers for the documents below (same fields, same
 *   order); the harness checks that once before measuring (run.ts, preflight).
 *
 * Checks are substring tests on the raw body (status 200, the payment's id, the expected
 * status, no `"errors"`): cheap enough not to load the load generator, strict enough to catch
 * a wrong outcome. Anything else counts as an error.
 */
import { encodeGlobalId } from '../src/domain/global-id.js';
import type { Payment, PaymentProviderName } from '../src/domain/payment.js';
import { cancelPath, readPath } from '../src/providers/hmac/assumptions.js';
import { hmacAuthHeaders } from '../src/providers/hmac/signing.js';
import { PRIMER_API_VERSION } from '../src/providers/primer/wire.js';

export type BenchProvider = 'primer' | 'hmac';
export type Operation = 'read' | 'cancel';
/** `mixed` alternates read and cancel (the soak). */
export type LoadOperation = Operation | 'mixed';
/** How an arm is spoken to: the provider's own API, P's two routes, or GraphQL. */
export type ArmKind = 'upstream' | 'proxy' | 'graphql';

export const READ_IDS = 1000;

export const PROVIDER_NAME: Record<BenchProvider, PaymentProviderName> = { primer: 'PRIMER', hmac: 'HMAC' };

/** The provider's own status strings before and after a cancel. */
const UPSTREAM_STATUS: Record<BenchProvider, { readonly before: string; readonly after: string }> = {
  primer: { before: 'AUTHORIZED', after: 'CANCELLED' },
  hmac: { before: 'requires_capture', after: 'canceled' },
};

/** The Payment fields G selects; `selectPaymentFields` is P's copy of this selection. */
const PAYMENT_SELECTION = 'id provider providerPaymentId status providerStatus isCancellable amount { amount currencyCode minorUnits } reference createdAt';

export const READ_DOCUMENT = `query BenchRead($id: ID!) { payment(id: $id) { ${PAYMENT_SELECTION} } }`;

export const CANCEL_DOCUMENT =
  'mutation BenchCancel($id: ID!, $key: String!) { cancelPayment(input: { id: $id, idempotencyKey: $key }) { __typename ' +
  `... on CancelPaymentSuccess { alreadyCanceled payment { ${PAYMENT_SELECTION} } } ... on UserError { message } } }`;

/** P's serialization: the fields of PAYMENT_SELECTION, in its order. */
export function selectPaymentFields(payment: Payment) {
  return {
    id: encodeGlobalId(payment),
    provider: payment.provider,
    providerPaymentId: payment.providerPaymentId,
    status: payment.status,
    providerStatus: payment.providerStatus,
    isCancellable: payment.isCancellable,
    amount: { amount: payment.amount.amount, currencyCode: payment.amount.currencyCode, minorUnits: payment.amount.minorUnits },
    reference: payment.reference,
    createdAt: payment.createdAt,
  };
}

export interface Credentials {
  readonly primerApiKey: string;
  readonly hmacApiKey: string;
  readonly hmacApiSecret: string;
  /** Bearer keys for G, used in turn (the cancel rate limit is per caller). */
  readonly bearers: readonly string[];
}

export interface BenchRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string | null;
  /** All must appear in a right answer's body. */
  readonly expect: readonly string[];
}

export interface RequestFactory {
  (seq: number): BenchRequest;
}

export const readId = (seq: number): string => `bench-r-${seq % READ_IDS}`;
export const cancelId = (nonce: string, seq: number): string => `bench-c${nonce}-${seq}`;
export const idempotencyKey = (nonce: string, seq: number): string => `bench-k${nonce}-${seq}`;

/** The request builder for one arm kind and operation; `nonce` keeps cancel ids unique per load process. */
export function requestFactory(kind: ArmKind, provider: BenchProvider, op: LoadOperation, credentials: Credentials, nonce: string): RequestFactory {
  const build = kind === 'upstream' ? upstreamRequest : kind === 'proxy' ? proxyRequest : graphqlRequest;
  return (seq) => {
    const thisOp: Operation = op === 'mixed' ? (seq % 2 === 0 ? 'read' : 'cancel') : op;
    const id = thisOp === 'read' ? readId(seq) : cancelId(nonce, seq);
    return build(provider, thisOp, id, idempotencyKey(nonce, seq), credentials, seq);
  };
}

function upstreamRequest(provider: BenchProvider, op: Operation, id: string, key: string, credentials: Credentials): BenchRequest {
  const status = UPSTREAM_STATUS[provider];
  const expect = [`"id":"${id}"`, `"status":"${op === 'read' ? status.before : status.after}"`];
  if (provider === 'hmac') {
    const headers = hmacAuthHeaders(credentials.hmacApiKey, credentials.hmacApiSecret, Date.now(), '');
    return op === 'read'
      ? { method: 'GET', path: readPath(id), headers, body: null, expect }
      : { method: 'POST', path: cancelPath(id), headers, body: null, expect };
  }
  const headers: Record<string, string> = { 'x-api-key': credentials.primerApiKey, 'x-api-version': PRIMER_API_VERSION, accept: 'application/json' };
  if (op === 'read') return { method: 'GET', path: `/payments/${id}`, headers, body: null, expect };
  return {
    method: 'POST',
    path: `/payments/${id}/cancel`,
    headers: { ...headers, 'content-type': 'application/json', 'x-idempotency-key': key },
    body: '{}',
    expect,
  };
}

/** What P and G both answer for a right outcome. */
function normalizedExpectations(op: Operation, globalId: string): string[] {
  return op === 'read'
    ? [`{"data":{"payment":{"id":"${globalId}"`, '"status":"AUTHORIZED"']
    : ['"__typename":"CancelPaymentSuccess"', '"alreadyCanceled":false', `"id":"${globalId}"`, '"status":"CANCELED"'];
}

function proxyRequest(provider: BenchProvider, op: Operation, id: string, key: string): BenchRequest {
  const globalId = encodeGlobalId({ provider: PROVIDER_NAME[provider], providerPaymentId: id });
  const expect = normalizedExpectations(op, globalId);
  return op === 'read'
    ? { method: 'GET', path: `/payments/${globalId}`, headers: {}, body: null, expect }
    : { method: 'POST', path: `/payments/${globalId}/cancel`, headers: { 'x-idempotency-key': key }, body: null, expect };
}

function graphqlRequest(provider: BenchProvider, op: Operation, id: string, key: string, credentials: Credentials, seq: number): BenchRequest {
  const globalId = encodeGlobalId({ provider: PROVIDER_NAME[provider], providerPaymentId: id });
  const bearer = credentials.bearers[seq % credentials.bearers.length];
  const body =
    op === 'read'
      ? JSON.stringify({ query: READ_DOCUMENT, variables: { id: globalId } })
      : JSON.stringify({ query: CANCEL_DOCUMENT, variables: { id: globalId, key } });
  return {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body,
    expect: normalizedExpectations(op, globalId),
  };
}

/** Why an answer is wrong, or undefined when it is right. */
export function checkAnswer(request: BenchRequest, status: number, body: string): string | undefined {
  if (status !== 200) return `HTTP ${status}`;
  if (body.includes('"errors"')) return 'GraphQL errors';
  for (const part of request.expect) if (!body.includes(part)) return `missing ${part.replace(/bench-[a-z0-9-]+|[A-Za-z0-9_-]{20,}/g, '…')}`;
  return undefined;
}
