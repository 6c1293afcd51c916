/**
 * Where the memory ledger keeps its recorded text: UTF-8 bytes appended to fixed-size chunks
 * allocated outside V8's heap.
 *
 * Kept as JS strings, 20 000 recorded outcomes (~0.6 kB of JSON each) were ~20 MB of old
 * generation that every cancel's outcome reached by being copied twice by the young
 * collector, and that V8 then sized the heap around (its growth factor over the live set):
 * about 50 MB of RSS, measured. As bytes in chunks they are ~11 MB (~6 MB shortened by
 * ./outcome-codec.ts) that no collector copies or marks, and the heap keeps only each
 * entry's small record.
 *
 * A chunk is never freed explicitly: entries hold a reference to theirs, and a chunk goes
 * with the last entry that uses it (the ledger forgets entries oldest first, so chunks empty
 * in order and at most the oldest and the current one are partly dead).
 */

export const DEFAULT_CHUNK_BYTES = 64 * 1024;

/** A stored pair of strings: `first` is bytes [start, split) of `chunk`, `second` [split, end). */
export interface ArenaSlot {
  readonly chunk: Buffer;
  readonly start: number;
  readonly split: number;
  readonly end: number;
}

export interface Arena {
  /** Copies both strings in, as UTF-8. */
  store(first: string, second: string): ArenaSlot;
}

export function createArena(chunkBytes: number = DEFAULT_CHUNK_BYTES): Arena {
  /** Pairs larger than this get a buffer of their own, so that they do not waste a chunk. */
  const ownBufferFrom = chunkBytes / 4;
  let chunk: Buffer | null = null;
  let used = 0;
  return {
    store(first, second) {
      const firstBytes = Buffer.byteLength(first);
      const bytes = firstBytes + Buffer.byteLength(second);
      let target: Buffer;
      let start: number;
      if (bytes > ownBufferFrom) {
        target = Buffer.allocUnsafeSlow(bytes);
        start = 0;
      } else {
        if (chunk === null || used + bytes > chunk.length) {
          // Not zero-filled: only the bytes written here are ever read back.
          chunk = Buffer.allocUnsafeSlow(chunkBytes);
          used = 0;
        }
        target = chunk;
        start = used;
        used += bytes;
      }
      const split = start + firstBytes;
      target.write(first, start, 'utf8');
      target.write(second, split, 'utf8');
      return { chunk: target, start, split, end: start + bytes };
    },
  };
}

export function firstOf(slot: ArenaSlot): string {
  return slot.chunk.toString('utf8', slot.start, slot.split);
}

export function secondOf(slot: ArenaSlot): string {
  return slot.chunk.toString('utf8', slot.split, slot.end);
}
