/**
 * The bench's provider sandbox as its own process: one provider (Primer by default, or HMAC
 * with `--provider hmac`) on 127.0.0.1, tuned for a long load test without changing what it
 * answers:
 *
 * - request recording off (the log would grow with every request);
 * - payments `bench-…` made on first touch from a cancellable seed payment (Primer AUTHORIZED,
 *   HMAC requires_capture), so every cancel meets a fresh payment; the store keeps the newest
 *   10 000 of them and forgets older ones;
 * - Primer's idempotency keys bounded to the newest 10 000 (the bench never reuses a key).
 *   Primer's cap of 100 failed cancels per payment is never reached: a failed cancel needs a
 *   payment that cannot be cancelled, and every bench cancel names a fresh cancellable one.
 *
 * Prints one JSON line `{"url", "provider", "apiKey", "apiSecret"}` and runs until its
 * standard input closes (the harness ends, however it ends) or SIGTERM.
 */
import { createHmacSandbox, createPrimerSandbox, HMAC_SEED, HMAC_SEED_IDS, PRIMER_SEED, PRIMER_SEED_IDS, type SandboxControl } from '../src/sandboxes/index.js';
import type { BenchProvider } from './scenarios.js';

const KEEP = 10_000;

function template<T extends { readonly id?: unknown }>(seed: readonly T[], id: string): T {
  const payment = seed.find((candidate) => candidate.id === id);
  if (payment === undefined) throw new Error(`seed payment ${id} is missing`);
  return payment;
}

async function startBenchSandbox(provider: BenchProvider): Promise<{ control: SandboxControl; apiKey: string; apiSecret: string }> {
  if (provider === 'hmac') {
    const seed = template(HMAC_SEED, HMAC_SEED_IDS.requiresCaptureThb);
    const sandbox = await createHmacSandbox({
      recordRequests: false,
      createPayment: (id) => (id.startsWith('bench-') ? { ...seed, id } : undefined),
    });
    return { control: sandbox, apiKey: sandbox.apiKey, apiSecret: sandbox.apiSecret };
  }
  const seed = template(PRIMER_SEED, PRIMER_SEED_IDS.authorizedUsd);
  const sandbox = await createPrimerSandbox({
    recordRequests: false,
    createPayment: (id) => (id.startsWith('bench-') ? { ...seed, id } : undefined),
    maxIdempotencyKeys: KEEP,
  });
  return { control: sandbox, apiKey: sandbox.apiKey, apiSecret: '' };
}

async function main(): Promise<void> {
  const provider: BenchProvider = process.argv.includes('hmac') ? 'hmac' : 'primer';
  const { control, apiKey, apiSecret } = await startBenchSandbox(provider);
  process.stdout.write(`${JSON.stringify({ url: control.url, provider, apiKey, apiSecret })}\n`);
  const stop = () => void control.close().then(() => process.exit(0));
  process.stdin.on('end', stop).resume();
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench sandbox failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
