/** `npm run build`: builds the web app and records which sources it was built from (see lib/launcher/next-build). */
import path from "node:path";
import { buildWebApp, isBuildCurrent } from "@/lib/launcher/next-build";

const root = path.resolve(import.meta.dirname, "..");
if (process.argv.includes("--if-stale") && isBuildCurrent(root)) {
  process.stdout.write("[sous] the web app build is current\n");
} else {
  buildWebApp(root);
}
