/** Process CPU accounting from /proc (Linux): which workerd processes Miniflare started, and their CPU. */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

interface Stat {
  pid: number;
  comm: string;
  ppid: number;
  cpuTicks: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm is in parentheses and may hold spaces; fields after it are space-separated.
    const close = text.lastIndexOf(")");
    const comm = text.slice(text.indexOf("(") + 1, close);
    const fields = text.slice(close + 2).split(" ");
    // fields[0] is state (field 3): ppid is field 4, utime 14, stime 15.
    return { pid, comm, ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** Every workerd process descended from this Node process. */
export function workerdPids(): Set<number> {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => stat(Number(name)))
    .filter((s): s is Stat => s !== undefined);
  const descendants = new Set<number>([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of all) {
      if (!descendants.has(s.pid) && descendants.has(s.ppid)) {
        descendants.add(s.pid);
        grew = true;
      }
    }
  }
  return new Set(all.filter((s) => descendants.has(s.pid) && s.comm.startsWith("workerd")).map((s) => s.pid));
}

/** User + system CPU time of `pids` so far, in microseconds. */
export function cpuMicros(pids: Iterable<number>): number {
  let ticks = 0;
  for (const pid of pids) ticks += stat(pid)?.cpuTicks ?? 0;
  return (ticks * 1_000_000) / TICKS_PER_SECOND;
}
