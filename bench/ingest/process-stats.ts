import { readFileSync, readdirSync } from "node:fs";

/**
 * Memory and CPU of process trees, read from /proc (Linux only): what `ps` would show, without
 * spawning it every second. RSS sums over a tree count shared pages once per process (PostgreSQL's
 * shared_buffers shows up in every backend that touched it), so PSS is read alongside.
 */
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux the bench runs on

export interface TreeSample {
  pids: number[];
  rssBytes: number;
  pssBytes: number;
  cpuSeconds: number;
}

interface ProcStat {
  pid: number;
  ppid: number;
  cpuTicks: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // utime + stime + cutime + cstime: a reaped child's time moves into its parent's cutime, so
    // the sum over a live tree keeps counting processes that came and went (autovacuum workers).
    const cpuTicks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    return { pid, ppid: Number(fields[1]), cpuTicks };
  } catch {
    return null; // the process exited between listing and reading
  }
}

function readKilobytes(file: string, field: string): number {
  try {
    const text = readFileSync(file, "utf8");
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Every live process with its parent and CPU ticks so far. */
export function listProcesses(): Map<number, ProcStat> {
  const processes = new Map<number, ProcStat>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) processes.set(stat.pid, stat);
  }
  return processes;
}

/** The root and all its descendants. */
export function descendantsOf(root: number, processes: Map<number, ProcStat>): number[] {
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of processes.values()) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const tree: number[] = [];
  const stack = processes.has(root) ? [root] : [];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

export function sampleTree(root: number, processes: Map<number, ProcStat>, withPss = true): TreeSample {
  const pids = descendantsOf(root, processes);
  let rssBytes = 0;
  let pssBytes = 0;
  let cpuTicks = 0;
  for (const pid of pids) {
    rssBytes += readKilobytes(`/proc/${pid}/status`, "VmRSS");
    if (withPss) pssBytes += readKilobytes(`/proc/${pid}/smaps_rollup`, "Pss");
    cpuTicks += processes.get(pid)?.cpuTicks ?? 0;
  }
  return { pids, rssBytes, pssBytes, cpuSeconds: cpuTicks / CLOCK_TICKS_PER_SECOND };
}

/** CPU seconds used by the whole machine (all cores, user + system, excluding idle and iowait). */
export function machineCpuSeconds(): { busy: number; iowait: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0];
  const [user, nice, system, , iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return {
    busy: (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_SECOND,
    iowait: iowait / CLOCK_TICKS_PER_SECOND,
  };
}
