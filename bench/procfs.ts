/**
 * What the benchmark reads about its processes from Linux's /proc: CPU time (utime + stime
 * of every thread, in clock ticks), peak and current resident memory, and a process's
 * descendants (a gateway with workers is measured as its whole tree).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat times: `getconf CLK_TCK`, else Linux's usual 100. */
export function clockTicksPerSecond(): { hz: number; source: string } {
  try {
    const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    if (Number.isInteger(hz) && hz > 0) return { hz, source: 'getconf CLK_TCK' };
  } catch {
    // fall through
  }
  return { hz: 100, source: 'assumed (getconf unavailable)' };
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone
  }
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** utime + stime of one process (all its threads), in clock ticks; 0 when it is gone. */
export function cpuTicks(pid: number): number {
  const fields = statFields(pid);
  // Field 3 (state) is index 0 here, so utime (14) and stime (15) are 11 and 12.
  return fields === undefined ? 0 : Number(fields[11]) + Number(fields[12]);
}

export function cpuTicksOf(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + cpuTicks(pid), 0);
}

/** A `Vm…:  1234 kB` line of /proc/<pid>/status, in kB; 0 when the process is gone. */
function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Peak resident set (VmHWM) summed over the processes, in MB (10^6 bytes). */
export function peakRssMb(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + statusKb(pid, 'VmHWM'), 0) * 1024 / 1e6;
}

/** Current resident set (VmRSS) summed over the processes, in MB. */
export function rssMb(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + statusKb(pid, 'VmRSS'), 0) * 1024 / 1e6;
}

/** The process and every live descendant (found by parent pid across /proc). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = Number(statFields(Number(entry))?.[1]);
    if (!Number.isInteger(ppid)) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}
