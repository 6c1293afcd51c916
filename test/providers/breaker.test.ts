import { afterEach, describe, expect, it, vi } from 'vitest';
import { BreakerOpenError, CircuitBreaker } from '../../src/providers/breaker.js';

class Failed extends Error {}
const HALF_OPEN_AFTER = 5000;

function breaker(threshold = 3) {
  const events: string[] = [];
  const circuit = new CircuitBreaker<number>({
    threshold,
    halfOpenAfterMs: HALF_OPEN_AFTER,
    isFailedError: (error) => error instanceof Failed,
    isFailedResult: (status) => status >= 500,
    onBreak: () => events.push('break'),
    onHalfOpen: () => events.push('half-open'),
    onReset: () => events.push('reset'),
  });
  return { circuit, events };
}

const answer = (status: number) => () => Promise.resolve(status);
const fail = () => Promise.reject(new Failed('transport'));
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (value) => value,
    (error: unknown) => (error instanceof BreakerOpenError ? 'open' : error instanceof Failed ? 'failed' : error),
  );

afterEach(() => {
  vi.useRealTimers();
});

describe('the circuit breaker', () => {
  it('opens after `threshold` consecutive failed calls, 5xx answers and failures alike, and then refuses calls without making them', async () => {
    const { circuit, events } = breaker(3);
    expect(await outcome(circuit.execute(fail))).toBe('failed');
    expect(await circuit.execute(answer(503))).toBe(503);
    expect(circuit.state).toBe('closed');
    expect(await outcome(circuit.execute(fail))).toBe('failed');
    expect(circuit.state).toBe('open');
    expect(events).toEqual(['break']);
    const call = vi.fn(answer(200));
    expect(await outcome(circuit.execute(call))).toBe('open');
    expect(call).not.toHaveBeenCalled();
  });

  it('counts only consecutive failures: an answer below 500 resets the count; an error that is not a failure changes nothing', async () => {
    const { circuit } = breaker(2);
    await outcome(circuit.execute(fail));
    expect(await circuit.execute(answer(404))).toBe(404);
    await outcome(circuit.execute(fail));
    expect(circuit.state).toBe('closed');
    const other = new Error('caller left');
    expect(await outcome(circuit.execute(() => Promise.reject(other)))).toBe(other);
    expect(circuit.state).toBe('closed');
    await outcome(circuit.execute(fail));
    expect(circuit.state).toBe('open');
  });

  it('a call that throws instead of returning a promise is a rejection, counted like one', async () => {
    const { circuit } = breaker(1);
    expect(
      await outcome(
        circuit.execute(() => {
          throw new Failed('sync');
        }),
      ),
    ).toBe('failed');
    expect(circuit.state).toBe('open');
  });

  it('once the wait has passed, one probe runs while the others wait; a probe that succeeds closes it and they run', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { circuit, events } = breaker(1);
    await outcome(circuit.execute(fail));
    vi.setSystemTime(Date.now() + HALF_OPEN_AFTER - 1);
    expect(await outcome(circuit.execute(answer(200)))).toBe('open');
    vi.setSystemTime(Date.now() + 1);
    let answerProbe!: (status: number) => void;
    const probeCall = vi.fn(() => new Promise<number>((resolve) => (answerProbe = resolve)));
    const probe = circuit.execute(probeCall);
    expect(circuit.state).toBe('half-open');
    const waiting = vi.fn(answer(201));
    const waiter = circuit.execute(waiting);
    await Promise.resolve();
    expect(waiting).not.toHaveBeenCalled();
    answerProbe(200);
    expect(await probe).toBe(200);
    expect(await waiter).toBe(201);
    expect(circuit.state).toBe('closed');
    expect(events).toEqual(['break', 'half-open', 'reset']);
  });

  it('a probe that fails opens it for another full wait, and the calls that waited for it are refused', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { circuit, events } = breaker(1);
    await outcome(circuit.execute(fail));
    vi.setSystemTime(Date.now() + HALF_OPEN_AFTER);
    const probe = circuit.execute(answer(500));
    const waiting = vi.fn(answer(200));
    const waiter = circuit.execute(waiting);
    expect(await probe).toBe(500);
    expect(await outcome(waiter)).toBe('open');
    expect(waiting).not.toHaveBeenCalled();
    expect(circuit.state).toBe('open');
    vi.setSystemTime(Date.now() + HALF_OPEN_AFTER - 1);
    expect(await outcome(circuit.execute(answer(200)))).toBe('open');
    vi.setSystemTime(Date.now() + 1);
    expect(await circuit.execute(answer(200))).toBe(200);
    expect(events).toEqual(['break', 'half-open', 'break', 'half-open', 'reset']);
  });

  it('a probe ending in an error that is not a failure closes it, with a fresh count', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { circuit } = breaker(2);
    await outcome(circuit.execute(fail));
    await outcome(circuit.execute(fail));
    vi.setSystemTime(Date.now() + HALF_OPEN_AFTER);
    const other = new Error('caller left');
    expect(await outcome(circuit.execute(() => Promise.reject(other)))).toBe(other);
    expect(circuit.state).toBe('closed');
    await outcome(circuit.execute(fail));
    expect(circuit.state).toBe('closed');
  });
});
