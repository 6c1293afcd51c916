import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineQueue } from '../../src/providers/deadlines.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('provider call deadlines', () => {
  it('each expires once, its full length after it started, in the order they started', () => {
    const queue = new DeadlineQueue(1000);
    const expired: string[] = [];
    queue.start(() => expired.push('a'));
    vi.advanceTimersByTime(300);
    queue.start(() => expired.push('b'));
    vi.advanceTimersByTime(650);
    queue.start(() => expired.push('c'));
    vi.advanceTimersByTime(49);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['a']);
    vi.advanceTimersByTime(299);
    expect(expired).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['a', 'b']);
    vi.advanceTimersByTime(650);
    expect(expired).toEqual(['a', 'b', 'c']);
    vi.advanceTimersByTime(5000);
    expect(expired).toEqual(['a', 'b', 'c']);
    expect(queue.size).toBe(0);
  });

  it('a cleared deadline never expires, whether it was the oldest, in the middle or the newest', () => {
    const queue = new DeadlineQueue(1000);
    const expired: number[] = [];
    const deadlines = [0, 1, 2, 3, 4].map((i) => {
      vi.advanceTimersByTime(100);
      return queue.start(() => expired.push(i));
    });
    queue.clear(deadlines[0]!);
    queue.clear(deadlines[2]!);
    queue.clear(deadlines[4]!);
    expect(queue.size).toBe(2);
    vi.advanceTimersByTime(2000);
    expect(expired).toEqual([1, 3]);
    queue.clear(deadlines[1]!); // after it expired: nothing
    expect(queue.size).toBe(0);
  });

  it('calls one after another set one timer, not one each; a timer holds the process only while a deadline is pending', () => {
    const queue = new DeadlineQueue(8000);
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const refs: boolean[] = [];
    for (let i = 0; i < 100; i += 1) {
      const deadline = queue.start(() => expect.unreachable('a cleared deadline expired'));
      vi.advanceTimersByTime(5);
      queue.clear(deadline);
    }
    expect(setTimeoutSpy).toHaveBeenCalledTimes(1);
    const timer = setTimeoutSpy.mock.results[0]!.value as NodeJS.Timeout;
    refs.push(timer.hasRef());
    const pending = queue.start(() => {});
    refs.push(timer.hasRef());
    queue.clear(pending);
    refs.push(timer.hasRef());
    expect(refs).toEqual([false, true, false]);
    setTimeoutSpy.mockRestore();
  });

  it('a deadline started after the timer was set for an older one still expires on time', () => {
    const queue = new DeadlineQueue(1000);
    const expired: string[] = [];
    const first = queue.start(() => expired.push('first'));
    vi.advanceTimersByTime(400);
    queue.clear(first);
    queue.start(() => expired.push('second'));
    vi.advanceTimersByTime(999);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['second']);
  });

  it('a deadline started while another expires is kept, and one that throws does not stop the others', () => {
    const queue = new DeadlineQueue(1000);
    const expired: string[] = [];
    queue.start(() => {
      expired.push('a');
      queue.start(() => expired.push('c'));
      throw new Error('listener failed');
    });
    queue.start(() => expired.push('b'));
    expect(() => vi.advanceTimersByTime(1000)).toThrow('listener failed');
    expect(expired).toEqual(['a', 'b']);
    vi.advanceTimersByTime(1000);
    expect(expired).toEqual(['a', 'b', 'c']);
  });

  it('many calls ending out of order leave nothing behind', () => {
    const queue = new DeadlineQueue(60_000);
    const running = Array.from({ length: 5000 }, () => queue.start(() => expect.unreachable('a cleared deadline expired')));
    // The oldest runs on while the others end: they are compacted away behind it.
    for (const deadline of running.slice(1)) queue.clear(deadline);
    expect(queue.size).toBe(1);
    expect((queue as unknown as { pending: unknown[] }).pending.length).toBeLessThan(5000);
    queue.clear(running[0]!);
    expect((queue as unknown as { pending: unknown[] }).pending.length).toBe(0);
  });
});
