import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A V8 .cpuprofile summed by self time: per function and per area of the code (Next.js, the OTLP
 * decoder, normalization, the writer, node-pg, GC …), so the report can say where the app's CPU
 * goes without opening DevTools. The production build is minified: positions in .next/server
 * chunks are mapped back to the TypeScript sources through the build's source maps.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Peaks of the app's process.memoryUsage() over the same window, when recorded. */
  memoryPeaks?: Record<"rss" | "heapTotal" | "heapUsed" | "external" | "arrayBuffers", number>;
  areas: { area: string; ms: number; share: number }[];
  functions: { name: string; ms: number; share: number }[];
}

/** Sous's own code: a sample belongs to the innermost of these found on its stack. */
const CODE_AREAS: [RegExp, string][] = [
  [/lib[/\\]rollups|lib[/\\]analytics/, "rollups (hook and fold job)"],
  [/lib[/\\]otlp[/\\]read-body/, "read request body"],
  [/lib[/\\]otlp/, "OTLP decode"],
  [/lib[/\\]normalize/, "normalize"],
  [/lib[/\\]pricing/, "pricing"],
  [/lib[/\\]ingest/, "writer (encode, insert, stats)"],
  [/lib[/\\]receiver|lib[/\\]auth|lib[/\\]settings/, "receiver (auth, settings, response)"],
];
/** Otherwise the sample's own frame decides. */
const RUNTIME_AREAS: [RegExp, string][] = [
  [/\(garbage collector\)/, "garbage collection"],
  [/\(idle\)/, "idle"],
  [/\(program\)/, "V8/native (program)"],
  [/node_modules[/\\](pg|pg-protocol|pg-pool)[/\\]/, "node-pg (protocol, results)"],
  [/node_modules[/\\]next|next[/\\]dist|\[turbopack\]/, "Next.js"],
  [/node:|internal[/\\]|^\S+ $/, "Node.js core and builtins (http, streams, buffers)"],
];

/**
 * `mapDirectory`: where copies of the build's source maps were kept (the build may have been
 * replaced since the profile was taken: chunk names are content hashes, so copies stay valid).
 */
export function summarizeCpuProfile(file: string, top = 25, mapDirectory?: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const selfMicros = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  const maps = new SourceMaps(mapDirectory);
  const areaOf = new Map<number, string>();
  const findArea = (id: number): string => {
    const known = areaOf.get(id);
    if (known) return known;
    let area: string | undefined;
    for (let at: number | undefined = id; at !== undefined && !area; at = parentOf.get(at)) {
      const url = maps.original(byId.get(at)!.callFrame).url;
      area = CODE_AREAS.find(([pattern]) => pattern.test(url))?.[1];
    }
    if (!area) {
      const frame = maps.original(byId.get(id)!.callFrame);
      area = RUNTIME_AREAS.find(([pattern]) => pattern.test(`${frame.functionName} ${frame.url}`))?.[1] ?? "other JS";
    }
    areaOf.set(id, area);
    return area;
  };
  for (const [id, micros] of selfMicros) {
    const frame = maps.original(byId.get(id)!.callFrame);
    const where = frame.url.replace(/^.*\/(node_modules|\.next|lib|app)\//, "$1/");
    const name = `${frame.functionName || "(anonymous)"} ${where ? `${where}:${frame.lineNumber + 1}` : ""}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + micros);
    const area = findArea(id);
    areas.set(area, (areas.get(area) ?? 0) + micros);
    total += micros;
  }
  const ranked = (map: Map<string, number>) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).map(([name, micros]) => ({ name, ms: micros / 1000, share: micros / total }));
  return {
    totalMs: total / 1000,
    areas: ranked(areas).map(({ name, ms, share }) => ({ area: name, ms, share })),
    functions: ranked(functions).slice(0, top),
  };
}

/** Maps positions in bundled files to their sources when a `.map` file sits next to the bundle. */
class SourceMaps {
  private readonly maps = new Map<string, SourceMap | null>();
  private readonly frames = new Map<string, ProfileNode["callFrame"]>();

  constructor(private readonly mapDirectory?: string) {}

  original(frame: ProfileNode["callFrame"]): ProfileNode["callFrame"] {
    const key = `${frame.url}:${frame.lineNumber}:${frame.columnNumber}:${frame.functionName}`;
    let mapped = this.frames.get(key);
    if (!mapped) this.frames.set(key, (mapped = this.map(frame)));
    return mapped;
  }

  private map(frame: ProfileNode["callFrame"]): ProfileNode["callFrame"] {
    if (!frame.url.startsWith("file://") || !frame.url.includes("/.next/")) return frame;
    const map = this.load(fileURLToPath(frame.url));
    const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
    if (!entry || !("originalSource" in entry) || !entry.originalSource) return frame;
    const source = path.resolve(path.dirname(fileURLToPath(frame.url)), entry.originalSource.replace(/^file:\/\//, ""));
    return {
      functionName: (entry as { name?: string }).name ?? frame.functionName,
      url: source,
      lineNumber: entry.originalLine,
      columnNumber: entry.originalColumn,
    };
  }

  private load(file: string): SourceMap | null {
    if (!this.maps.has(file)) {
      const copy = this.mapDirectory ? path.join(this.mapDirectory, `${path.basename(file)}.map`) : null;
      const mapFile = copy && existsSync(copy) ? copy : `${file}.map`;
      this.maps.set(file, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, "utf8"))) : null);
    }
    return this.maps.get(file)!;
  }
}
