/**
 * What the gateway assumes about the HMAC provider beyond its cancel document (DESIGN §5).
 * Each assumption lives here and nowhere else.
 */

/** Cancel: documented. */
export const cancelPath = (paymentId: string): string => `/api/v1/payments/${encodeURIComponent(paymentId)}/cancel`;

/**
 * Read: assumed `GET /api/v1/payments/{payment_id}`, signed like cancel with an empty body,
 * answering the same `{success, data}` envelope, 404 RESOURCE_NOT_FOUND when missing.
 */
export const readPath = (paymentId: string): string => `/api/v1/payments/${encodeURIComponent(paymentId)}`;

/** Authentication failures: assumed HTTP 401 with `{success:false, error:{code, message}}`. */
export const AUTH_FAILURE_STATUS = 401;

/** Documented: a missing payment is 404 with this code (a 404 without it is an unknown route). */
export const NOT_FOUND_CODE = 'RESOURCE_NOT_FOUND';
