type Builtin = Date | Function | Uint8Array | string | number | boolean | undefined;

/**
 * A plain object that builds a generated message with `fromPartial`: every field optional,
 * recursively, and oneofs as `{ $case, value }`. Fields left out take their proto3 defaults.
 *
 * @example
 * ```ts
 * const request: MessageInit<SearchRequest> = { query: "ti:石墨烯", facets: ["year"] };
 * ```
 */
export type MessageInit<T> = T extends Builtin
  ? T
  : T extends ReadonlyArray<infer U>
    ? ReadonlyArray<MessageInit<U>>
    : T extends { $case: string; value: unknown }
      ? {
          /** Which field of the oneof is set. */
          $case: T["$case"];
          /** Its value. */
          value?: MessageInit<T["value"]>;
        }
      : T extends object
        ? { [K in keyof T]?: MessageInit<T[K]> }
        : Partial<T>;

/**
 * A generated message's companion object, as far as building one goes.
 *
 * @example
 * ```ts
 * const builder: MessageBuilder<SearchRequest> = SearchRequest;
 * ```
 */
export interface MessageBuilder<T> {
  // The generated signature constrains its argument with an `Exact<...>` type that a generic
  // MessageInit cannot satisfy; at run time fromPartial takes any plain object.
  fromPartial: (...args: never[]) => T;
}

/**
 * Builds a complete message (every field set, as `encode` needs) from a plain object.
 *
 * @example
 * ```ts
 * const req = buildMessage(SearchRequest, { query: "ti:battery", pageSize: 50 });
 * ```
 */
export function buildMessage<T>(type: MessageBuilder<T>, init: NoInfer<MessageInit<T>> | undefined): T {
  return (type.fromPartial as (object: unknown) => T)(init ?? {});
}
