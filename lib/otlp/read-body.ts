/**
 * Reads an OTLP/HTTP request body with size caps, decompressing gzip/deflate as it streams.
 * Decompression stops as soon as the output passes the cap, so a gzip bomb costs at most the
 * cap in memory (plus one zlib chunk), never the bomb's full size.
 */
import { createGunzip, createInflate, type Gunzip, type Inflate } from "node:zlib";
import { OtlpHttpError } from "./errors";

/** Cap on the bytes read off the wire for a compressed body. */
export const DEFAULT_MAX_COMPRESSED_BYTES = 16 * 1024 * 1024;
/** Cap on the body after decompression (and on uncompressed bodies); the OTLP spec recommends 64 MiB. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

const ZLIB_CHUNK_BYTES = 64 * 1024;
/**
 * After a cap is hit, up to this many more wire bytes are read and dropped before answering, so
 * the connection stays usable: cancelling a request body resets the socket, and a keep-alive
 * client (undici, the OTLP exporters) would then fail its next request on it with ECONNRESET.
 */
export const DEFAULT_MAX_DISCARDED_BYTES = 32 * 1024 * 1024;
const BATCH_SIZE_HINT = "lower the exporter's batch size (OTEL_BSP_MAX_EXPORT_BATCH_SIZE)";

export interface ReadBodyOptions {
  /** The request's Content-Encoding header; absent or "identity" means uncompressed. */
  contentEncoding?: string | null;
  maxCompressedBytes?: number;
  maxDecompressedBytes?: number;
  /** Wire bytes read and dropped after a cap is hit, before the stream is cancelled. */
  maxDiscardedBytes?: number;
}

type Encoding = "identity" | "gzip" | "deflate";

function parseContentEncoding(header: string | null | undefined): Encoding {
  const codings = (header ?? "")
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== "" && coding !== "identity");
  if (codings.length === 0) return "identity";
  if (codings.length === 1) {
    if (codings[0] === "gzip" || codings[0] === "x-gzip") return "gzip";
    if (codings[0] === "deflate") return "deflate";
  }
  throw new OtlpHttpError(
    415,
    `Content-Encoding "${header}" is not supported: send gzip or no compression (OTEL_EXPORTER_OTLP_COMPRESSION=gzip or none)`,
  );
}

function decompressedTooLarge(maxBytes: number): OtlpHttpError {
  return new OtlpHttpError(413, `decompressed body exceeds ${maxBytes} bytes; ${BATCH_SIZE_HINT}`);
}

function concat(chunks: Uint8Array[], totalBytes: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  return Buffer.concat(chunks, totalBytes);
}

export async function readBody(
  stream: ReadableStream<Uint8Array> | null,
  options: ReadBodyOptions = {},
): Promise<Uint8Array> {
  const encoding = parseContentEncoding(options.contentEncoding);
  const maxCompressedBytes = options.maxCompressedBytes ?? DEFAULT_MAX_COMPRESSED_BYTES;
  const maxDecompressedBytes = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const maxDiscardedBytes = options.maxDiscardedBytes ?? DEFAULT_MAX_DISCARDED_BYTES;
  if (stream === null) return new Uint8Array(0);
  const reader = stream.getReader();
  if (encoding === "identity") {
    return readAll(reader, maxDecompressedBytes, maxDiscardedBytes, () =>
      new OtlpHttpError(413, `body exceeds ${maxDecompressedBytes} bytes; ${BATCH_SIZE_HINT}`));
  }
  return inflate(reader, encoding, { maxCompressedBytes, maxDecompressedBytes, maxDiscardedBytes });
}

async function readAll(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxBytes: number,
  maxDiscardedBytes: number,
  tooLarge: () => OtlpHttpError,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let totalBytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    totalBytes += value.byteLength;
    if (totalBytes > maxBytes) {
      chunks.length = 0;
      await discardRest(reader, maxDiscardedBytes);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return totalBytes === 0 ? new Uint8Array(0) : concat(chunks, totalBytes);
}

/** Reads and drops the rest of the body (bounded), then releases the stream. */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number): Promise<void> {
  let discarded = 0;
  try {
    while (discarded < maxBytes) {
      const { done, value } = await reader.read();
      if (done) return;
      discarded += value.byteLength;
    }
  } catch {
    return; // the client went away: nothing left to keep usable
  }
  await reader.cancel().catch(() => undefined);
}

function waitForDrain(inflater: Gunzip | Inflate): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      inflater.off("drain", done);
      inflater.off("close", done);
      resolve();
    };
    inflater.on("drain", done);
    inflater.on("close", done);
  });
}

function inflate(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  encoding: "gzip" | "deflate",
  { maxCompressedBytes, maxDecompressedBytes, maxDiscardedBytes }: Required<Omit<ReadBodyOptions, "contentEncoding">>,
): Promise<Uint8Array> {
  const inflater = encoding === "gzip"
    ? createGunzip({ chunkSize: ZLIB_CHUNK_BYTES })
    : createInflate({ chunkSize: ZLIB_CHUNK_BYTES });
  const output: Buffer[] = [];
  let outputBytes = 0;
  let inputBytes = 0;

  return new Promise<Uint8Array>((resolve, reject) => {
    let isSettled = false;
    const fail = (error: Error) => {
      if (isSettled) return;
      isSettled = true;
      output.length = 0; // let what was inflated so far be collected right away
      inflater.destroy();
      // Answer once the rest of the body is read (or abandoned), so the connection stays usable.
      void discardRest(reader, maxDiscardedBytes).then(() => reject(error));
    };

    inflater.on("data", (chunk: Buffer) => {
      outputBytes += chunk.length;
      if (outputBytes > maxDecompressedBytes) fail(decompressedTooLarge(maxDecompressedBytes));
      else output.push(chunk);
    });
    inflater.on("error", (error) => {
      fail(new OtlpHttpError(400, `${encoding} body is corrupt (${error.message}): check the exporter's compression setting`));
    });
    inflater.on("end", () => {
      if (isSettled) return;
      isSettled = true;
      resolve(concat(output, outputBytes));
    });

    const pump = async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (isSettled) return;
        if (done) break;
        inputBytes += value.byteLength;
        if (inputBytes > maxCompressedBytes) {
          fail(new OtlpHttpError(413, `compressed body exceeds ${maxCompressedBytes} bytes; ${BATCH_SIZE_HINT}`));
          return;
        }
        if (!inflater.write(value)) await waitForDrain(inflater);
        if (isSettled) return;
      }
      if (inputBytes === 0) {
        isSettled = true;
        inflater.destroy();
        resolve(new Uint8Array(0));
        return;
      }
      inflater.end();
    };
    pump().catch((error: unknown) => {
      fail(new OtlpHttpError(400, `request body could not be read: ${(error as Error)?.message ?? String(error)}`));
    });
  });
}
