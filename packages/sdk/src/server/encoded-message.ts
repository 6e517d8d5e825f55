const ENCODED = Symbol("ipfed.encoded");

/**
 * A response message already in wire form. A server made by `createGrpcServer` writes its
 * bytes as they are instead of encoding an object: a handler that holds records in their
 * stored encoding (an Export batch) sends them without decoding and re-encoding each one.
 * The type parameter is the message the bytes encode; `results` is what the audit entry
 * counts for it (records, hits).
 *
 * @example
 * ```ts
 * const batch: EncodedMessage<ExportResponse> = encodedMessage(ExportResponse.encode({ records, cursor, total, last }).finish(), records.length);
 * ```
 */
export interface EncodedMessage<T> {
  /** The encoded message. */
  readonly [ENCODED]: Uint8Array;
  /** The results the message carries, for the audit log. */
  readonly results: number;
  /** Never set: keeps `T` part of the type. */
  readonly message?: T;
}

/**
 * Wraps the wire form of a response so that a handler can yield or return it in place of
 * the message object. Only a server from `createGrpcServer` writes it as is.
 *
 * @example
 * ```ts
 * yield encodedMessage<ExportResponse>(writer.finish(), count);
 * ```
 */
export function encodedMessage<T>(bytes: Uint8Array, results: number): EncodedMessage<T> {
  return { [ENCODED]: bytes, results };
}

/** Whether `value` is an {@link EncodedMessage}. */
export function isEncodedMessage(value: unknown): value is EncodedMessage<unknown> {
  return typeof value === "object" && value !== null && ENCODED in value;
}

/** The bytes of an {@link EncodedMessage}, as a Buffer over the same memory. */
export function encodedBytes(value: EncodedMessage<unknown>): Buffer {
  const b = value[ENCODED];
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
