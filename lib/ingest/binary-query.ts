import pg from "pg";
import { binaryArrayByteLength, binaryArrayHeader, type BinaryArrayParameter } from "@/lib/ingest/pg-binary";

/**
 * Runs a statement whose parameters are binary arrays kept in parts, writing the Bind message
 * straight to the socket as a list of buffers. node-pg would copy every parameter into one growing
 * buffer (and the arrays would first be concatenated): for a 4,096-span group that is ~6 MB copied
 * three or four times, which was a tenth of the app's CPU under the ingest benchmark. Here the parts
 * encoded for each write() call go to the kernel as they are, in one corked writev.
 *
 * Everything else (Parse, Describe, Execute, Sync, results, errors, timeouts) is node-pg's own Query;
 * only its prepare step is replaced. It relies on node-pg internals (Query.prepare, _getRows,
 * Connection.parse/describe/stream), pinned by the exact pg version in package.json and exercised
 * by every writer test.
 */
export async function queryBinaryArrays(
  client: pg.ClientBase,
  text: string,
  parameters: readonly BinaryArrayParameter[],
): Promise<unknown[][]> {
  return new Promise((resolve, reject) => {
    const query = new BinaryArrayQuery(text, parameters, (error, result) => {
      if (error) reject(error);
      else resolve((result as unknown as { rows: unknown[][] }).rows);
    });
    void client.query(query);
  });
}

/** The node-pg internals the Bind replacement uses. */
interface QueryInternals {
  text: string;
  rows?: number;
  _getRows(connection: ConnectionInternals, rows?: number): void;
}

interface ConnectionInternals {
  stream: { writable: boolean; write(chunk: Buffer): boolean };
  parse(query: { text: string; name?: string; types?: unknown[] }): void;
  describe(message: { type: "P"; name: string }): void;
}

class BinaryArrayQuery extends pg.Query {
  constructor(
    text: string,
    private readonly parameters: readonly BinaryArrayParameter[],
    callback: (error: Error | undefined, result: unknown) => void,
  ) {
    // queryMode "extended": prepared (Parse/Bind/Execute) although `values` is empty.
    super({ text, rowMode: "array", queryMode: "extended" } as pg.QueryConfig, callback);
  }

  /** Replaces node-pg's Query.prepare (called by submit() with the stream corked). */
  prepare(connection: ConnectionInternals): void {
    const self = this as unknown as QueryInternals;
    connection.parse({ text: self.text, types: [] });
    if (connection.stream.writable) {
      for (const chunk of bindMessage(this.parameters)) if (chunk.length > 0) connection.stream.write(chunk);
    }
    connection.describe({ type: "P", name: "" });
    self._getRows(connection, self.rows);
  }
}

/**
 * The Bind message ('B') for the unnamed portal and statement: every parameter in binary format,
 * results in text format. See "Message Formats" in the PostgreSQL protocol documentation.
 */
export function bindMessage(parameters: readonly BinaryArrayParameter[]): Buffer[] {
  const lengths = parameters.map(binaryArrayByteLength);
  // length field, portal "", statement "", 1 format code (binary), parameter count, values,
  // 1 result format code (text).
  let messageLength = 4 + 1 + 1 + 2 + 2 + 2 + 2 + 2;
  for (const length of lengths) messageLength += 4 + length;
  if (messageLength > 0x3fffffff) throw new RangeError(`a ${messageLength}-byte Bind message exceeds PostgreSQL's 1 GB limit`);
  const head = Buffer.allocUnsafe(1 + 4 + 1 + 1 + 2 + 2 + 2);
  head[0] = 0x42; // 'B'
  head.writeInt32BE(messageLength, 1);
  head[5] = 0; // portal ""
  head[6] = 0; // statement ""
  head.writeInt16BE(1, 7); // one parameter format code for all
  head.writeInt16BE(1, 9); // binary
  head.writeInt16BE(parameters.length, 11);
  const chunks: Buffer[] = [head];
  parameters.forEach((parameter, i) => {
    const header = binaryArrayHeader(parameter.elementOid, parameter.count);
    const prefix = Buffer.allocUnsafe(4 + header.length);
    prefix.writeInt32BE(lengths[i]!, 0);
    header.copy(prefix, 4);
    chunks.push(prefix);
    if (parameter.count > 0) chunks.push(...parameter.parts);
  });
  chunks.push(Buffer.from([0, 1, 0, 0])); // one result format code: text
  return chunks;
}
