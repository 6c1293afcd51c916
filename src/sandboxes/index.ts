/**
 * Provider sandboxes: real HTTP servers that speak each provider's protocol as its document
 * describes. Independent of the gateway's code on purpose: they must catch its mistakes.
 */
export type { Fault, FaultRule, PaymentSandbox, RecordedRequest, SandboxControl } from './http-sandbox.js';
export {
  createHmacSandbox,
  HMAC_SANDBOX_API_KEY,
  HMAC_SANDBOX_API_SECRET,
  type HmacSandbox,
  type HmacSandboxOptions,
} from './hmac/server.js';
export { HMAC_SEED, HMAC_SEED_IDS, type HmacWirePayment } from './hmac/seed.js';
export {
  createPrimerSandbox,
  PRIMER_SANDBOX_API_KEY,
  type PrimerSandbox,
  type PrimerSandboxOptions,
} from './primer/server.js';
export { PRIMER_SEED, PRIMER_SEED_IDS, type PrimerWirePayment } from './primer/seed.js';
