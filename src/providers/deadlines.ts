/**
 * The total deadlines of one provider's calls. They all have the same length, so they fall
 * due in the order the calls started: one timer, set for the oldest pending deadline, serves
 * them all, and a call that ends only marks its entry.
 *
 * A timer per call (setTimeout, then clearTimeout when the call ended, as the transport did
 * before) cost about 3 µs of a read here: at one connection every call emptied Node's timer
 * list for its duration, so the next one made a new list, queued it and set libuv's timer
 * again (perf profile). Here a timer is set when none is pending, and again only when it
 * fires with calls still running.
 */
import { callEach } from '../cancellation.js';

export interface Deadline {
  /** Called once, when the deadline passes (never after `clear`). */
  expire: (() => void) | null;
  /** performance.now() at which it passes. */
  readonly at: number;
}

/**
 * Node's timers count whole milliseconds of the loop's cached clock, so one set for `ms` may
 * run a fraction of a millisecond before performance.now() says `ms` have passed; a deadline
 * that close is due.
 */
const TIMER_SLACK_MS = 1;

export class DeadlineQueue {
  /** In start order (so in order of `at`); `pending[head]` is the oldest not yet removed. */
  private pending: Deadline[] = [];
  private head = 0;
  /** Cleared deadlines still in `pending` (behind an older one still running). */
  private cleared = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number) {}

  /** Calls `expire` once `ms` from now, unless `clear` is called with the result first. */
  start(expire: () => void): Deadline {
    const deadline: Deadline = { expire, at: performance.now() + this.ms };
    this.pending.push(deadline);
    // A timer already set is due no later than this deadline: when it fires, it sets the next.
    if (this.timer === undefined) this.schedule();
    else if (this.pending.length - this.head === 1) this.timer.ref();
    return deadline;
  }

  /** The call ended: its deadline no longer matters. */
  clear(deadline: Deadline): void {
    if (deadline.expire === null) return;
    deadline.expire = null;
    this.cleared += 1;
    this.dropCleared();
  }

  /** Deadlines not yet passed nor cleared (for tests). */
  get size(): number {
    let count = 0;
    for (let i = this.head; i < this.pending.length; i += 1) if (this.pending[i]!.expire !== null) count += 1;
    return count;
  }

  /** Sets the timer for the oldest pending deadline, if there is one. */
  private schedule(): void {
    if (this.head < this.pending.length) this.timer = setTimeout(this.fire, Math.max(1, Math.ceil(this.pending[this.head]!.at - performance.now())));
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    const now = performance.now() + TIMER_SLACK_MS;
    const due: Array<() => void> = [];
    while (this.head < this.pending.length) {
      const deadline = this.pending[this.head]!;
      if (deadline.expire === null) this.cleared -= 1;
      else if (deadline.at > now) break;
      else {
        due.push(deadline.expire);
        deadline.expire = null;
      }
      this.head += 1;
    }
    this.dropCleared();
    // The queue is whole again before any call hears of its deadline (which may start or end calls).
    this.schedule();
    // One that throws does not keep the others from expiring; the first error is rethrown.
    callEach(due);
  };

  /** Removes cleared deadlines from the front; with none left, the timer no longer holds the process open. */
  private dropCleared(): void {
    while (this.head < this.pending.length && this.pending[this.head]!.expire === null) {
      this.head += 1;
      this.cleared -= 1;
    }
    if (this.head === this.pending.length) {
      this.pending.length = 0;
      this.head = 0;
      this.cleared = 0;
      // A timer still set fires for nothing; it must not keep the process running meanwhile.
      this.timer?.unref();
    } else if (this.head + this.cleared >= 1024 && (this.head + this.cleared) * 2 >= this.pending.length) {
      // Calls that end while an older one runs on leave their entries behind it: when they
      // are half the array, it is copied without them (the order stays).
      this.pending = this.pending.filter((deadline, i) => i >= this.head && deadline.expire !== null);
      this.head = 0;
      this.cleared = 0;
    }
  }
}
