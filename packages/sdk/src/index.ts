// Errors
export { ERROR_CODES, grpcStatusOf, isErrorCode, codeForGrpcStatus } from "./errors/code.js";
export type { ErrorCode } from "./errors/code.js";
export { IpfedError } from "./errors/ipfed-error.js";
export type { IpfedErrorOptions } from "./errors/ipfed-error.js";
export { toGrpcStatus, fromGrpcError, ERROR_CODE_TRAILER, ERROR_DETAIL_TRAILER } from "./errors/grpc-status.js";

// Keys
export { generateMemberKey, toJwks } from "./keys/member-key.js";
export type { MemberKey } from "./keys/member-key.js";

// Server kit
export { createGrpcServer } from "./server/grpc-server.js";
export type { GrpcServer, GrpcServerOptions } from "./server/grpc-server.js";
export { unary, serverStream, clientStream } from "./server/handlers.js";
export type { CallContext } from "./server/handlers.js";
export { createMemberServer } from "./server/member-server.js";
export type { MemberServer, MemberServerInit, MemberServerOptions } from "./server/member-server.js";
export type { MemberIdentity } from "./server/member-identity.js";
export { createFederationService, keyMessages } from "./server/federation-service.js";
export { createCatalogueService } from "./server/catalogue-service.js";
export { createSearchService, SEARCH_FACETS } from "./server/search-service.js";
export type { SearchLimits } from "./server/search-service.js";
export { createExchangeService } from "./server/exchange-service.js";
export type { ExchangeLimits } from "./server/exchange-service.js";
export { encodeCursor, decodeCursor } from "./server/cursor.js";
export type {
  DataSource,
  CallerView,
  SourceSearchRequest,
  SourceSearchResult,
  SourceChange,
  SourceCatalogueEvent,
  PublishItem,
  PublishOutcome,
} from "./server/data-source.js";

// Records
export { validateRecord, CANONICAL_ID_RE } from "./records/record-validation.js";

// Query language
export { parseQuery, DEFAULT_MAX_CLAUSES, DEFAULT_MAX_DEPTH } from "./query/query-parser.js";
export { formatQuery } from "./query/query-format.js";
export { QUERY_FIELDS, FIELD_NAMES, QUERY_RECORD_KINDS, resolveField, fieldInfo, fieldKind, describeKnownFields } from "./query/query-fields.js";
export type { FieldName, FieldKind, FieldInfo, QueryRecordKind } from "./query/query-fields.js";
export { normalizeClassSymbol, normalizeNiceClass, normalizeCountry, normalizeRecordKind, parseDatePeriod } from "./query/query-values.js";
export type { DatePeriod } from "./query/query-values.js";
export type {
  QueryNode,
  QueryNodeType,
  QueryNodeBase,
  TermNode,
  PhraseNode,
  RangeNode,
  AndNode,
  OrNode,
  NotNode,
  MatchAllNode,
  ParseQueryOptions,
} from "./query/query-ast.js";
