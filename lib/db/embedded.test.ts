import { describe, expect, it } from "vitest";
import { EmbeddedDatabaseError, sharedBuffersFor } from "@/lib/db/embedded";

const GiB = 1024 ** 3;

describe("the embedded server's shared_buffers", () => {
  it("is a quarter of the machine's memory, from 128 MB to 8 GB", () => {
    expect(sharedBuffersFor(true, 24 * GiB, undefined)).toBe("6144MB");
    expect(sharedBuffersFor(true, 256 * GiB, undefined)).toBe("8192MB");
    expect(sharedBuffersFor(true, 0.25 * GiB, undefined)).toBe("128MB");
  });

  it("stays small for test databases", () => {
    expect(sharedBuffersFor(false, 24 * GiB, undefined)).toBe("256MB");
  });

  it("is what SOUS_PG_SHARED_BUFFERS says, when that is a PostgreSQL size", () => {
    expect(sharedBuffersFor(true, 24 * GiB, "2GB")).toBe("2GB");
    expect(sharedBuffersFor(false, 24 * GiB, "512MB")).toBe("512MB");
    expect(sharedBuffersFor(true, 24 * GiB, "")).toBe("6144MB");
    for (const bad of ["2 GB", "lots", "0MB", "2gb", "-1GB"]) {
      expect(() => sharedBuffersFor(true, 24 * GiB, bad), bad).toThrow(EmbeddedDatabaseError);
    }
  });
});
