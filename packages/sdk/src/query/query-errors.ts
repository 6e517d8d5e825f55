import { IpfedError } from "../errors/ipfed-error.js";
import { describeKnownFields } from "./query-fields.js";

// Every query error names the request field `query`, so clients can point at the search box.
const FIELD = "query";

/** Builds a QUERY_SYNTAX error for the given 1-based position. */
export function querySyntaxError(message: string, position: number): IpfedError {
  return new IpfedError("QUERY_SYNTAX", message, { field: FIELD, position });
}

/** Builds the usual "expected X at position N, found Y" QUERY_SYNTAX error. */
export function expectedError(expected: string, position: number, found: string, note?: string): IpfedError {
  const tail = note === undefined ? "" : ` (${note})`;
  return querySyntaxError(`expected ${expected} at position ${position}, found ${found}${tail}`, position);
}

/** Builds a QUERY_FIELD_UNKNOWN error that lists the fields the language knows. */
export function unknownFieldError(name: string, position: number): IpfedError {
  return new IpfedError(
    "QUERY_FIELD_UNKNOWN",
    `unknown field '${name}' at position ${position}; known fields: ${describeKnownFields()}`,
    { field: FIELD, position, metadata: { name } },
  );
}

/** Builds a QUERY_TOO_COMPLEX error. */
export function tooComplexError(message: string, position: number): IpfedError {
  return new IpfedError("QUERY_TOO_COMPLEX", `${message} at position ${position}`, {
    field: FIELD,
    position,
  });
}

/**
 * Quotes a piece of the query for a message, shortened so that a pasted abstract does not
 * flood the error.
 */
export function quoteForMessage(text: string): string {
  const chars = Array.from(text);
  return chars.length > 30 ? `'${chars.slice(0, 27).join("")}...'` : `'${text}'`;
}
