/**
 * Where the instructions of a callgrind window go, by function, and which functions G spends
 * more on than P (`npm run bench -- --callgrind S --functions`).
 *
 * callgrind names a function by its symbol, which V8's generated code has none of: that
 * code appears as a bare address (`0x00002b188ab9e040`). Node started with
 * `--perf-basic-prof` writes `/tmp/perf-<pid>.map`, one line per piece of code it makes
 * (`<start> <size> <name>`, hexadecimal), and V8 reuses addresses as it collects and
 * recompiles, so an address is named by the latest line that covers it. Tier marks (`*`
 * optimized, `~` interpreted, `^` baseline, `+` Maglev) are dropped so that one function's
 * code sums under one name.
 */

/** The self cost (instructions) of each function of a callgrind dump, by the name it gives. */
export interface CallgrindDump {
  readonly pid: number | null;
  /** Instructions, the `totals:` line. */
  readonly total: number;
  readonly self: ReadonlyMap<string, number>;
}

/**
 * Reads a callgrind out file (format 1, event Ir): cost lines after `calls=` are the callee's
 * inclusive cost and count for the caller's inclusive cost only, so they are left out here.
 */
export function parseCallgrind(text: string): CallgrindDump {
  const names = new Map<string, string>();
  const self = new Map<string, number>();
  let pid: number | null = null;
  let total = 0;
  let current = '';
  let afterCall = false;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const first = line.charCodeAt(0);
    // A cost line: a position (a number, or +n, -n, * for one relative to the last) and costs.
    if ((first >= 48 && first <= 57) || line[0] === '+' || line[0] === '-' || line[0] === '*') {
      if (afterCall) {
        afterCall = false;
        continue;
      }
      const cost = Number(line.split(' ')[1] ?? 0);
      self.set(current, (self.get(current) ?? 0) + cost);
      continue;
    }
    if (line.startsWith('calls=')) {
      afterCall = true;
      continue;
    }
    const definition = /^(c?fn)=\((\d+)\)(?: (.*))?$/.exec(line);
    if (definition) {
      const [, kind, id, name] = definition;
      if (name !== undefined) names.set(id!, name);
      if (kind === 'fn') current = names.get(id!) ?? `(${id})`;
      continue;
    }
    if (line.startsWith('pid:')) pid = Number(line.slice(4).trim());
    else if (line.startsWith('totals:')) total = Number(line.slice(7).trim());
  }
  return { pid, total, self };
}

/** A `--perf-basic-prof` map: code start addresses, sorted, and what each one names. */
export interface PerfMap {
  readonly starts: readonly number[];
  readonly entries: ReadonlyMap<number, { readonly size: number; readonly name: string }>;
}

export function parsePerfMap(text: string): PerfMap {
  const entries = new Map<number, { size: number; name: string }>();
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]+) ([0-9a-f]+) (.+)$/.exec(line);
    // The latest line for an address wins: V8 reuses the addresses of collected code.
    if (match) entries.set(Number.parseInt(match[1]!, 16), { size: Number.parseInt(match[2]!, 16), name: match[3]! });
  }
  return { starts: [...entries.keys()].sort((a, b) => a - b), entries };
}

/** A function's name with callgrind's recursion suffix (`'2`) and V8's tier mark dropped, its address named. */
export function functionName(name: string, map: PerfMap | null): string {
  const bare = name.replace(/'\d+$/, '');
  const address = /^0x([0-9a-f]+)$/.exec(bare);
  if (!address) return bare;
  const at = Number.parseInt(address[1]!, 16);
  if (map) {
    // The last start at or below the address.
    let low = 0;
    let high = map.starts.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (map.starts[middle]! <= at) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    if (found >= 0) {
      const start = map.starts[found]!;
      const entry = map.entries.get(start)!;
      if (at < start + entry.size) return entry.name.replace(/^(JS:|Function:)[*~^+]?/, 'JS ');
    }
  }
  return 'generated code (unnamed)';
}

/** Self instructions per function name, resolved through the map. */
export function selfByFunction(dump: CallgrindDump, map: PerfMap | null): Map<string, number> {
  const named = new Map<string, number>();
  for (const [name, cost] of dump.self) {
    const resolved = functionName(name, map);
    named.set(resolved, (named.get(resolved) ?? 0) + cost);
  }
  return named;
}

export interface FunctionDifference {
  readonly name: string;
  /** Instructions per request. */
  readonly p: number;
  readonly g: number;
}

/** The functions G spends the most instructions on beyond P's, per request, most first. */
export function functionsBeyondP(p: ReadonlyMap<string, number>, pRequests: number, g: ReadonlyMap<string, number>, gRequests: number, top: number): FunctionDifference[] {
  const names = new Set([...p.keys(), ...g.keys()]);
  return [...names]
    .map((name) => ({ name, p: (p.get(name) ?? 0) / pRequests, g: (g.get(name) ?? 0) / gRequests }))
    .sort((a, b) => b.g - b.p - (a.g - a.p))
    .slice(0, top);
}
