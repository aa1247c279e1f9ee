import { constants, crc32, createDeflateRaw, deflateSync, gunzipSync, gzipSync } from "node:zlib";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OtlpHttpError } from "./errors";
import { DEFAULT_MAX_DECOMPRESSED_BYTES, readBody } from "./read-body";

/** A pull-based body stream in fixed-size chunks that records how much was read from it. */
function streamOf(bytes: Uint8Array, chunkBytes = 64 * 1024) {
  const progress = { pulledBytes: 0, isCancelled: false };
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.length) {
          controller.close();
          return;
        }
        const chunk = bytes.slice(offset, offset + chunkBytes);
        offset += chunk.length;
        progress.pulledBytes += chunk.length;
        controller.enqueue(chunk);
      },
      cancel() {
        progress.isCancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, progress };
}

async function httpError(promise: Promise<unknown>): Promise<OtlpHttpError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OtlpHttpError);
    return error as OtlpHttpError;
  }
  throw new Error("expected readBody to fail");
}

const MiB = 1024 * 1024;

/**
 * A gzip bomb: `mebibytes` MiB of zeros in about 1 KB per MiB. After a full flush the deflate
 * block for 1 MiB of zeros is the same every time, so it is compressed once and repeated.
 */
async function gzipBombOfZeros(mebibytes: number): Promise<Uint8Array> {
  const deflater = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflater.on("data", (chunk: Buffer) => chunks.push(chunk));
  const zeros = Buffer.alloc(MiB);
  await new Promise<void>((resolve) => {
    deflater.write(zeros);
    deflater.flush(constants.Z_FULL_FLUSH, () => resolve());
  });
  deflater.close();
  const block = Buffer.concat(chunks);
  const header = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03]);
  const finalEmptyBlock = Buffer.from([0x03, 0x00]);
  let crc = 0;
  for (let index = 0; index < mebibytes; index++) crc = crc32(zeros, crc);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE((mebibytes * MiB) % 2 ** 32, 4);
  const bomb = Buffer.alloc(header.length + block.length * mebibytes + finalEmptyBlock.length + trailer.length);
  let offset = header.copy(bomb, 0);
  for (let index = 0; index < mebibytes; index++) offset += block.copy(bomb, offset);
  offset += finalEmptyBlock.copy(bomb, offset);
  trailer.copy(bomb, offset);
  return bomb;
}

describe("readBody", () => {
  const payload = new TextEncoder().encode(JSON.stringify({ resourceSpans: Array(2000).fill({ scopeSpans: [] }) }));

  it("returns an uncompressed body, in many chunks or one", async () => {
    const chunked = await readBody(streamOf(payload, 1000).stream, {});
    expect(Buffer.from(chunked).equals(Buffer.from(payload))).toBe(true);
    const whole = await readBody(streamOf(payload, payload.length).stream, { contentEncoding: "identity" });
    expect(Buffer.from(whole).equals(Buffer.from(payload))).toBe(true);
  });

  it("returns an empty body for a null stream", async () => {
    expect(await readBody(null, { contentEncoding: "gzip" })).toEqual(new Uint8Array(0));
  });

  it.each(["gzip", "GZIP", "x-gzip", " gzip , identity"])("decompresses Content-Encoding %s", async (encoding) => {
    const body = await readBody(streamOf(gzipSync(payload), 100).stream, { contentEncoding: encoding });
    expect(Buffer.from(body).equals(Buffer.from(payload))).toBe(true);
  });

  it("decompresses deflate", async () => {
    const body = await readBody(streamOf(deflateSync(payload)).stream, { contentEncoding: "deflate" });
    expect(Buffer.from(body).equals(Buffer.from(payload))).toBe(true);
  });

  it.each(["br", "zstd", "gzip, br", "compress"])("refuses Content-Encoding %s with 415", async (encoding) => {
    const error = await httpError(readBody(streamOf(payload).stream, { contentEncoding: encoding }));
    expect(error.status).toBe(415);
    expect(error.message).toContain(`Content-Encoding "${encoding}" is not supported`);
  });

  it("answers 400 for a corrupt gzip body", async () => {
    const corrupt = Uint8Array.from(gzipSync(payload));
    corrupt.fill(0xaa, 20, 60);
    const error = await httpError(readBody(streamOf(corrupt).stream, { contentEncoding: "gzip" }));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^gzip body is corrupt/);
  });

  it("answers 400 for a gzip body that is cut short", async () => {
    const truncated = gzipSync(payload).subarray(0, 30);
    const error = await httpError(readBody(streamOf(truncated).stream, { contentEncoding: "gzip" }));
    expect(error.status).toBe(400);
  });

  it("answers 413 when an uncompressed body passes the cap, reading the rest so the connection stays usable", async () => {
    const { stream, progress } = streamOf(new Uint8Array(10 * MiB));
    const error = await httpError(readBody(stream, { maxDecompressedBytes: MiB }));
    expect(error.status).toBe(413);
    expect(error.message).toBe(`body exceeds ${MiB} bytes; lower the exporter's batch size (OTEL_BSP_MAX_EXPORT_BATCH_SIZE)`);
    // Cancelling would reset the socket under a keep-alive client; the rest is read and dropped.
    expect(progress.pulledBytes).toBe(10 * MiB);
    expect(progress.isCancelled).toBe(false);
  });

  it("gives up on an oversized body after the discard bound, keeping only a chunk at a time", async () => {
    const { stream, progress } = streamOf(new Uint8Array(64 * MiB));
    const error = await httpError(readBody(stream, { maxDecompressedBytes: MiB, maxDiscardedBytes: 4 * MiB }));
    expect(error.status).toBe(413);
    expect(progress.pulledBytes).toBeGreaterThanOrEqual(5 * MiB);
    expect(progress.pulledBytes).toBeLessThan(6 * MiB);
    expect(progress.isCancelled).toBe(true);
  });

  it("answers 413 when the compressed body passes its cap", async () => {
    const random = randomBytes(2 * MiB); // incompressible, so the gzip body is also ~2 MiB
    const error = await httpError(readBody(streamOf(gzipSync(random)).stream, { contentEncoding: "gzip", maxCompressedBytes: MiB }));
    expect(error.status).toBe(413);
    expect(error.message).toMatch(/^compressed body exceeds 1048576 bytes/);
  });

  it("builds a valid bomb (checked small)", async () => {
    const small = await gzipBombOfZeros(4);
    expect(gunzipSync(small).equals(Buffer.alloc(4 * MiB))).toBe(true);
    const body = await readBody(streamOf(small).stream, { contentEncoding: "gzip" });
    expect(body.length).toBe(4 * MiB);
  });

  it("stops a 1 GiB gzip bomb at the default cap, fast and without inflating it all", async () => {
    const bomb = await gzipBombOfZeros(1024);
    expect(bomb.length).toBeLessThan(1.1 * MiB);
    const { stream, progress } = streamOf(bomb, 16 * 1024);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const error = await httpError(readBody(stream, { contentEncoding: "gzip" }));
    const elapsedMs = performance.now() - started;
    expect(error.status).toBe(413);
    expect(error.message).toBe(
      `decompressed body exceeds ${DEFAULT_MAX_DECOMPRESSED_BYTES} bytes; lower the exporter's batch size (OTEL_BSP_MAX_EXPORT_BATCH_SIZE)`,
    );
    // Inflating all 1 GiB would take seconds and the memory; the rest of the wire body (1 MiB) is
    // read and dropped without inflating it, so the connection stays usable.
    expect(elapsedMs).toBeLessThan(3000);
    expect(progress.pulledBytes).toBe(bomb.length);
    expect(progress.isCancelled).toBe(false);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(400 * MiB);
  });

  it("stops a bomb at a small cap after reading only a few KB of it (no discard allowance)", async () => {
    const bomb = await gzipBombOfZeros(256);
    const { stream, progress } = streamOf(bomb, 1024);
    const error = await httpError(readBody(stream, { contentEncoding: "gzip", maxDecompressedBytes: MiB, maxDiscardedBytes: 0 }));
    expect(error.status).toBe(413);
    expect(error.message).toMatch(/^decompressed body exceeds 1048576 bytes/);
    // 1 MiB of output needs ~1 KB of input; the rest is zlib's 16 KiB write buffer filling up.
    expect(progress.pulledBytes).toBeLessThan(32 * 1024);
    expect(bomb.length).toBeGreaterThan(256 * 1024);
  });
});
