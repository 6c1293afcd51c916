/**
 * Fault rules: how a sandbox is told to misbehave, and which rule applies to a request.
 * Kept apart from the HTTP machinery so the rule semantics (order, `times`, matching) are
 * plain data logic.
 */

export type Fault =
  | { type: 'latency'; ms: number } // wait, then answer normally
  | { type: 'status'; status: number; retryAfter?: string } // that HTTP status with the provider's own error body
  | { type: 'malformed-json' } // 200, application/json, a body that is not JSON
  | { type: 'truncated' } // 200 with a Content-Length larger than the bytes sent, then the socket is destroyed
  | { type: 'reset' } // destroy the socket without answering
  | { type: 'hang' }; // never answer (until the client gives up or the sandbox closes)

export interface FaultRule {
  fault: Fault;
  /** How many matching requests this rule applies to; default: every one until cleared. */
  times?: number;
  /** Only requests with this method (case-insensitive). */
  method?: string;
  /** Only requests whose path (including the query string) contains this. */
  pathIncludes?: string;
}

/** Longest latency a rule may ask for: a sandbox must never keep a test waiting for minutes. */
const MAX_LATENCY_MS = 120_000;

/** Rules in insertion order; the first matching rule with uses left applies and is used up. */
export class FaultRules {
  private rules: { rule: FaultRule; left: number }[] = [];

  add(rule: FaultRule): void {
    const checked = parseFaultRule(rule);
    this.rules.push({ rule: checked, left: checked.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
  }

  take(method: string, path: string): Fault | undefined {
    const entry = this.rules.find(
      ({ rule, left }) =>
        left > 0 &&
        (rule.method === undefined || rule.method.toUpperCase() === method.toUpperCase()) &&
        (rule.pathIncludes === undefined || path.includes(rule.pathIncludes)),
    );
    if (entry === undefined) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.rules = this.rules.filter((e) => e !== entry);
    return entry.rule.fault;
  }
}

/** Validates a rule (from TypeScript callers or from `POST /_sandbox/faults`); throws a plain message. */
export function parseFaultRule(input: unknown): FaultRule {
  if (!isRecord(input)) throw new Error('a fault rule must be a JSON object');
  const { fault, times, method, pathIncludes } = input;
  if (times !== undefined && !(Number.isInteger(times) && (times as number) > 0)) {
    throw new Error('times must be a positive integer');
  }
  if (method !== undefined && typeof method !== 'string') throw new Error('method must be a string');
  if (pathIncludes !== undefined && typeof pathIncludes !== 'string') {
    throw new Error('pathIncludes must be a string');
  }
  const rule: FaultRule = { fault: parseFault(fault) };
  if (times !== undefined) rule.times = times as number;
  if (method !== undefined) rule.method = method;
  if (pathIncludes !== undefined) rule.pathIncludes = pathIncludes;
  return rule;
}

function parseFault(input: unknown): Fault {
  if (!isRecord(input)) throw new Error('fault must be an object with a type');
  switch (input['type']) {
    case 'latency': {
      const ms = input['ms'];
      if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > MAX_LATENCY_MS) {
        throw new Error(`latency fault needs ms: an integer from 0 to ${MAX_LATENCY_MS}`);
      }
      return { type: 'latency', ms };
    }
    case 'status': {
      const status = input['status'];
      const retryAfter = input['retryAfter'];
      if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
        throw new Error('status fault needs status: an integer from 200 to 599');
      }
      if (retryAfter !== undefined && (typeof retryAfter !== 'string' || !/^[\x20-\x7e]+$/.test(retryAfter))) {
        throw new Error('retryAfter must be a printable ASCII string');
      }
      return retryAfter === undefined ? { type: 'status', status } : { type: 'status', status, retryAfter };
    }
    case 'malformed-json':
    case 'truncated':
    case 'reset':
    case 'hang':
      return { type: input['type'] };
    default:
      throw new Error('fault.type must be one of latency, status, malformed-json, truncated, reset, hang');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
