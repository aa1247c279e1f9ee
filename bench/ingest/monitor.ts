import { readFileSync } from "node:fs";
import { listProcesses, machineCpuSeconds, sampleTree, type TreeSample } from "./process-stats";

/**
 * Samples, once a second, the memory and CPU of the processes taking part: the app (the Next.js
 * server, and the launcher's whole tree), PostgreSQL (the postmaster's tree), the load generators
 * and the benchmark's own coordinator, plus the whole machine, so the report can say where the CPU
 * went and how much other work (other users of the machine) shared it.
 */
export interface Roots {
  appServerPid: number;
  appLauncherPid: number;
  postgresPid: number;
  generatorPids: number[];
}

export interface CpuSnapshot {
  at: number;
  app: number;
  postgres: number;
  generators: number;
  coordinator: number;
  machineBusy: number;
  machineIowait: number;
}

export interface MemoryPeaks {
  appServerRssBytes: number;
  appTreeRssBytes: number;
  postgresRssBytes: number;
  postgresPssBytes: number;
  postgresLargestProcessRssBytes: number;
  generatorsRssBytes: number;
}

export class Monitor {
  readonly peaks: MemoryPeaks = {
    appServerRssBytes: 0,
    appTreeRssBytes: 0,
    postgresRssBytes: 0,
    postgresPssBytes: 0,
    postgresLargestProcessRssBytes: 0,
    generatorsRssBytes: 0,
  };
  private timer: NodeJS.Timeout | null = null;
  last: { app: TreeSample; server: TreeSample; postgres: TreeSample } | null = null;

  constructor(private readonly roots: Roots) {}

  start(intervalMs = 1000): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** CPU seconds used so far by each group (cumulative, so two snapshots give a window). */
  snapshot(): CpuSnapshot {
    const processes = listProcesses();
    const machine = machineCpuSeconds();
    const own = process.cpuUsage();
    return {
      at: performance.now(),
      app: sampleTree(this.roots.appLauncherPid, processes, false).cpuSeconds,
      postgres: sampleTree(this.roots.postgresPid, processes, false).cpuSeconds,
      generators: this.roots.generatorPids.reduce((sum, pid) => sum + sampleTree(pid, processes, false).cpuSeconds, 0),
      coordinator: (own.user + own.system) / 1e6,
      machineBusy: machine.busy,
      machineIowait: machine.iowait,
    };
  }

  private sample(): void {
    const processes = listProcesses();
    const server = sampleTree(this.roots.appServerPid, processes, false);
    const app = sampleTree(this.roots.appLauncherPid, processes, false);
    const postgres = sampleTree(this.roots.postgresPid, processes, true);
    let generators = 0;
    for (const pid of this.roots.generatorPids) generators += sampleTree(pid, processes, false).rssBytes;
    let largest = 0;
    for (const pid of postgres.pids) largest = Math.max(largest, readStatusKilobytes(pid, "VmRSS"));
    const peaks = this.peaks;
    peaks.appServerRssBytes = Math.max(peaks.appServerRssBytes, server.rssBytes, readStatusKilobytes(this.roots.appServerPid, "VmHWM"));
    peaks.appTreeRssBytes = Math.max(peaks.appTreeRssBytes, app.rssBytes);
    peaks.postgresRssBytes = Math.max(peaks.postgresRssBytes, postgres.rssBytes);
    peaks.postgresPssBytes = Math.max(peaks.postgresPssBytes, postgres.pssBytes);
    peaks.postgresLargestProcessRssBytes = Math.max(peaks.postgresLargestProcessRssBytes, largest);
    peaks.generatorsRssBytes = Math.max(peaks.generatorsRssBytes, generators);
    this.last = { app, server, postgres };
  }
}

/** A `VmRSS`/`VmHWM` line of /proc/<pid>/status in bytes (VmHWM: the kernel's own peak RSS). */
export function readStatusKilobytes(pid: number, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU cores used per group over a window (CPU seconds / wall seconds). */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot) {
  const seconds = (b.at - a.at) / 1000;
  const cores = (x: number, y: number) => (y - x) / seconds;
  const app = cores(a.app, b.app);
  const postgres = cores(a.postgres, b.postgres);
  const generators = cores(a.generators, b.generators);
  const coordinator = cores(a.coordinator, b.coordinator);
  const machine = cores(a.machineBusy, b.machineBusy);
  return {
    seconds,
    app,
    postgres,
    generators,
    coordinator,
    machine,
    iowait: cores(a.machineIowait, b.machineIowait),
    other: Math.max(0, machine - app - postgres - generators - coordinator),
  };
}

export type CpuBreakdown = ReturnType<typeof cpuBetween>;
