/**
 * CPU time of other processes, read from /proc (Linux): utime + stime of all a process's threads
 * is what the kernel keeps per process, and no library reads it for another process without a
 * native addon. Shared by the benches that judge a change by CPU per request or per checkout.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of the times in /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** user + system CPU time of a process so far, in ms; throws when the process is gone. */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Every process's pid and command line (arguments joined by spaces). */
export function processes(): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      found.push({ pid, cmdline });
    } catch {
      // gone between listing and reading
    }
  }
  return found;
}

/** Whether a command line is the Temporal dev server listening on `port`. */
export function isTemporalDevServer(cmdline: string, port: number): boolean {
  return /\btemporal server start-dev\b/.test(cmdline) && cmdline.includes(`--port ${port}`);
}

/** Busy CPU time of the whole machine so far (every process, ours or not), ms, from /proc/stat. */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  const ticks = [user, nice, system, irq, softirq, steal].reduce<number>((a, b) => a + (b ?? 0), 0);
  return (ticks * 1000) / TICKS_PER_SECOND;
}
