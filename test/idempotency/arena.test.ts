/** The memory ledger's byte store: what goes in comes back exactly, wherever it lands. */
import { describe, expect, it } from 'vitest';
import { createArena, firstOf, secondOf } from '../../src/idempotency/arena.js';

describe('the ledger arena', () => {
  it('returns every pair exactly, multi-byte text included, across chunk boundaries', () => {
    const arena = createArena(1024);
    const samples = ['', 'a', 'é', '€uro', '𝄞 clef', '日本語のテキスト', 'x'.repeat(63), '"quoted" \\ back\nslash'];
    const pairs = Array.from({ length: 200 }, (_, i) => [samples[i % samples.length]! + String(i), samples[(i * 3) % samples.length]!.repeat(i % 3)] as const);
    const slots = pairs.map(([first, second]) => arena.store(first, second));
    pairs.forEach(([first, second], i) => {
      expect(firstOf(slots[i]!)).toBe(first);
      expect(secondOf(slots[i]!)).toBe(second);
      expect(slots[i]!.end - slots[i]!.start).toBe(Buffer.byteLength(first) + Buffer.byteLength(second));
    });
    // Every pair here is under a quarter of a chunk: they share chunks, none over its size.
    const chunks = new Set(slots.map((slot) => slot.chunk));
    for (const chunk of chunks) expect(chunk.length).toBe(1024);
    expect(chunks.size).toBeLessThan(pairs.length / 4);
    for (const slot of slots) expect(slot.end).toBeLessThanOrEqual(slot.chunk.length);
  });

  it('gives a pair over a quarter of a chunk a buffer of its own, of its exact size', () => {
    const arena = createArena(256);
    const small = arena.store('fp', 'small');
    const large = arena.store('fp', 'é'.repeat(40));
    const next = arena.store('fp', 'next');
    expect(large.chunk).not.toBe(small.chunk);
    expect(large.chunk.length).toBe(2 + 80);
    expect(secondOf(large)).toBe('é'.repeat(40));
    // The current chunk goes on being filled after it.
    expect(next.chunk).toBe(small.chunk);
    expect(next.start).toBe(small.end);
  });
});
