/**
 * Errors raised while reading and decoding an OTLP/HTTP request. Each carries the HTTP status
 * the receiver answers with; messages are written for the exporter's author, because OTLP
 * exporters log the response body and that log line is all they get.
 */

export class OtlpHttpError extends Error {
  /** HTTP status to answer with: 400, 413 or 415. */
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = "OtlpHttpError";
    this.status = status;
  }
}

/** The body is not a decodable OTLP trace export; the whole request is refused with 400. */
export class OtlpDecodeError extends OtlpHttpError {
  constructor(message: string) {
    super(400, message);
    this.name = "OtlpDecodeError";
  }
}
