/** The two OTLP/HTTP encodings. The response uses the request's. */
export type OtlpFormat = "protobuf" | "json";

const FORMAT_BY_MEDIA_TYPE: ReadonlyMap<string, OtlpFormat> = new Map([
  ["application/x-protobuf", "protobuf"],
  ["application/protobuf", "protobuf"],
  ["application/json", "json"],
]);

/**
 * Maps a Content-Type header to an OTLP encoding, ignoring parameters such as
 * `; charset=utf-8` and letter case. Returns null for anything else (answer 415).
 */
export function formatFromContentType(header: string | null | undefined): OtlpFormat | null {
  if (!header) return null;
  const semicolon = header.indexOf(";");
  const mediaType = (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  return FORMAT_BY_MEDIA_TYPE.get(mediaType) ?? null;
}

/** The Content-Type to answer with for a request in `format`. */
export function contentTypeFor(format: OtlpFormat): string {
  return format === "protobuf" ? "application/x-protobuf" : "application/json";
}
