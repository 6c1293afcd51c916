/** Helpers for the idempotency ledger tests. */
import { Redis } from 'ioredis';
import type { ClaimResult, LedgerClaim } from '../../src/idempotency/index.js';

export const REDIS_URL = 'redis://127.0.0.1:6379';

/** The claim in a result, failing the test when there is none. */
export function claimOf(result: ClaimResult): LedgerClaim {
  if (result.state !== 'claimed') throw new Error(`expected a claim, got ${result.state}`);
  return result.claim;
}

/** The first of `results` to be a claim (the others may still be waiting). */
export function firstClaim(results: readonly (ClaimResult | Promise<ClaimResult>)[]): Promise<{ index: number; claim: LedgerClaim }> {
  return Promise.any(
    results.map(async (result, index) => {
      const settled = await result;
      if (settled.state !== 'claimed') throw new Error(settled.state);
      return { index, claim: settled.claim };
    }),
  );
}

export function countStates(results: readonly ClaimResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { state } of results) counts[state] = (counts[state] ?? 0) + 1;
  return counts;
}

/** A plain client for looking at (and cleaning up) what the ledger stored. */
export function inspector(): Redis {
  return new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
}

/** Deletes every key under `prefix`, then closes the client. */
export async function cleanUp(client: Redis, prefix: string): Promise<void> {
  const keys = await client.keys(`${prefix}*`);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
}

/** Polls an observable condition until it holds (bounded by the test's timeout). */
export async function until(condition: () => Promise<boolean>, intervalMs = 5): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, intervalMs));
}
