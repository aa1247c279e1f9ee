/**
 * Preloaded into the app by `npm run bench:ingest -- --cpu-prof` (NODE_OPTIONS=--require …; Node
 * 20 refuses --cpu-prof in NODE_OPTIONS). Only in the `next start` process: the first SIGUSR2
 * starts V8's sampling profiler, the second stops it and writes
 * $SOUS_BENCH_PROFILE_DIR/app-<pid>.cpuprofile, so the profile covers the measured window only.
 * Meanwhile the peaks of process.memoryUsage() are sampled (what RSS is made of: V8 heap, or
 * buffers outside it) and written next to it as app-<pid>.memory.json.
 */
"use strict";
const isNextServer = process.argv.some((arg) => /next[/\\]dist[/\\]bin[/\\]next$/.test(arg)) && process.argv.includes("start");
const directory = process.env.SOUS_BENCH_PROFILE_DIR;
if (isNextServer && directory) {
  const inspector = require("node:inspector");
  const fs = require("node:fs");
  const path = require("node:path");
  const session = new inspector.Session();
  session.connect();
  let isRunning = false;
  let memoryTimer = null;
  const memoryPeaks = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const sampleMemory = () => {
    const usage = process.memoryUsage();
    for (const key of Object.keys(memoryPeaks)) memoryPeaks[key] = Math.max(memoryPeaks[key], usage[key]);
  };
  process.on("SIGUSR2", () => {
    if (!isRunning) {
      isRunning = true;
      memoryTimer = setInterval(sampleMemory, 250);
      session.post("Profiler.enable", () =>
        session.post("Profiler.setSamplingInterval", { interval: 500 }, () => session.post("Profiler.start")),
      );
      return;
    }
    isRunning = false;
    clearInterval(memoryTimer);
    fs.writeFileSync(path.join(directory, `app-${process.pid}.memory.json`), JSON.stringify(memoryPeaks));
    session.post("Profiler.stop", (error, result) => {
      if (error) return process.stderr.write(`[bench] CPU profile failed: ${error.message}\n`);
      const file = path.join(directory, `app-${process.pid}.cpuprofile`);
      fs.writeFileSync(`${file}.partial`, JSON.stringify(result.profile));
      fs.renameSync(`${file}.partial`, file); // appears whole: the benchmark waits for it

    });
  });
}
