// Errors
export { ERROR_CODES, grpcStatusOf, isErrorCode, codeForGrpcStatus } from "./errors/code.js";
export type { ErrorCode } from "./errors/code.js";
export { IpfedError } from "./errors/ipfed-error.js";
export type { IpfedErrorOptions } from "./errors/ipfed-error.js";
export { toGrpcStatus, fromGrpcError, ERROR_CODE_TRAILER, ERROR_DETAIL_TRAILER } from "./errors/grpc-status.js";

// Keys
export { generateMemberKey, toJwks } from "./keys/member-key.js";
export type { MemberKey } from "./keys/member-key.js";

// TLS
export { createTlsCertificate, loadTlsIdentity, certificateFingerprint, pemToDer, derToPem } from "./tls/tls-certificate.js";
export type { TlsIdentity, TlsCertificateOptions } from "./tls/tls-certificate.js";
export { MemberServerCredentials, memberTlsChannel, channelFor, isLoopbackAddress, assertPlaintextAllowed } from "./tls/tls-credentials.js";
export type { ChannelSecurity, ChannelTlsMaterial, TlsChannel } from "./tls/tls-credentials.js";

// Server kit
export { createGrpcServer } from "./server/grpc-server.js";
export type { GrpcServer, GrpcServerOptions } from "./server/grpc-server.js";
export { unary, serverStream, clientStream } from "./server/handlers.js";
export { encodedMessage } from "./server/encoded-message.js";
export type { EncodedMessage } from "./server/encoded-message.js";
export type { CallContext } from "./server/handlers.js";
export { createMemberServer } from "./server/member-server.js";
export type { MemberServer, MemberServerInit, MemberServerOptions } from "./server/member-server.js";
export type { MemberIdentity } from "./server/member-identity.js";
export type { MemberOutcome, MemberOutcomeStatus, RpcOutcome, ServerObserver } from "./server/server-observer.js";
export { CallLimiter, DEFAULT_CALL_LIMITS } from "./server/call-limits.js";
export type { Admission, CallLimitsOptions, RateLimit } from "./server/call-limits.js";
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

// Callers, tokens and the auth interceptor
export { SCOPE_NAMES } from "./auth/caller.js";
export type { Caller, ScopeName, ActorChain } from "./auth/caller.js";
export { createAuthInterceptor, callRecordOf, memberCertificateCheck } from "./auth/auth-interceptor.js";
export type { Authenticate, AuthInterceptorOptions, CallRecord, PeerCheck } from "./auth/auth-interceptor.js";
export { RPC_SCOPES, isIpfedRpc } from "./auth/rpc-scopes.js";
export { issueToken, parseDuration } from "./tokens/issue-token.js";
export type { IssueTokenOptions, IssueTokenClaimOptions, TokenLifetime } from "./tokens/issue-token.js";
export { verifyToken, effectiveClockSkew, DEFAULT_CLOCK_SKEW_SECONDS, MAX_CLOCK_SKEW_SECONDS, DEFAULT_MAX_TOKEN_BYTES } from "./tokens/verify-token.js";
export type { VerifyTokenOptions, VerifiedToken } from "./tokens/verify-token.js";
export { readCompactJws, FORBIDDEN_HEADER_PARAMETERS } from "./tokens/read-compact-jws.js";
export type { TokenHeader, UncheckedJws } from "./tokens/read-compact-jws.js";
export { createCachedVerifier } from "./tokens/cached-verifier.js";
export type { CachedVerifier, CachedVerifierOptions } from "./tokens/cached-verifier.js";
export { deriveToken, DEFAULT_DERIVED_TTL_SECONDS } from "./tokens/derive-token.js";
export type { DeriveTokenOptions } from "./tokens/derive-token.js";
export { createStaticKeyResolver, createJwksKeyResolver, importVerificationKey, isEd25519VerificationJwk } from "./tokens/key-resolvers.js";
export type { IssuerKeyResolver, IssuerKeys, StaticKeyResolver, TokenVerificationKey } from "./tokens/key-resolvers.js";
export {
  tierFromName,
  tierToName,
  parseScope,
  formatScope,
  isScopeName,
  isTokenIdentifier,
  parseTokenClaims,
  TIER_NAMES,
  MAX_ACT_DEPTH,
  MAX_IDENTIFIER_LENGTH,
} from "./tokens/token-claims.js";
export type { TierName, TokenClaims } from "./tokens/token-claims.js";
export { actChainToList, withActor } from "./tokens/actor-chain.js";

// Audit
export type { AuditEvent, AuditSink } from "./server/audit-sink.js";

// Privacy tiers
export { TIERS, effectiveTier, clearanceTier, tierAtLeast, maxTier, tierName } from "./privacy/tier-order.js";
export { FieldTierPolicy, RECORD_TYPE, NATURAL_PERSON_FIELD, WITHHELD_FIELDS_FIELD } from "./privacy/field-tiers.js";
export type { FieldShape, PolicyField, PolicyMessage } from "./privacy/field-tiers.js";
export { redactRecord } from "./privacy/redact-record.js";
export type { RedactedRecord } from "./privacy/redact-record.js";
export { canSeeRecord, recordAccessTier } from "./privacy/record-access.js";
export { searchableQueryFields, visibleFacets, QUERY_FIELD_SOURCES, FACET_SOURCES } from "./privacy/searchable-fields.js";
export type { SearchableField, FieldSource } from "./privacy/searchable-fields.js";
export { suppressSmallCounts, DEFAULT_SMALL_COUNT_THRESHOLD } from "./privacy/small-counts.js";

// Federation
export { Federation } from "./federation/federated-search.js";
export type { FederationOptions } from "./federation/federated-search.js";
export type { FederationDirectory, FederationTarget } from "./federation/federation-directory.js";
export { mergePages, mergeFacets, RRF_K } from "./federation/merge-hits.js";
export type { MemberPage, MergedHit } from "./federation/merge-hits.js";
export { queryRequirements, skipReason } from "./federation/target-plan.js";
export type { QueryRequirements } from "./federation/target-plan.js";
export { signFederationCursor, verifyFederationCursor } from "./federation/federation-cursor.js";
export type { FederationPosition } from "./federation/federation-cursor.js";
export type { FederatedSearcher, LocalPage } from "./server/search-service.js";

// Federation: the signed network configuration and registrations
export { canonicalJson } from "./federation/canonical-json.js";
export {
  signNetworkConfig,
  verifyNetworkConfig,
  inspectNetworkConfig,
  canonicalNetworkConfig,
  NETWORK_CONFIG_TYP,
  DEFAULT_MAX_NETWORK_CONFIG_BYTES,
} from "./federation/network-config.js";
export type { VerifyNetworkConfigOptions, VerifiedNetworkConfig, NetworkConfigClaims } from "./federation/network-config.js";
export { networkIssuers, memberKeyToJwk, memberJwks, revocationKey } from "./federation/network-issuers.js";
export type { NetworkIssuers } from "./federation/network-issuers.js";
export { signRegistration, verifyRegistration, canonicalMember, REGISTRATION_TYP } from "./federation/registration.js";
export type { VerifyRegistrationOptions } from "./federation/registration.js";
export { joinHub } from "./federation/join-hub.js";
export type { JoinHubOptions, HubLink, HubLinkState } from "./federation/join-hub.js";
export { summariseCatalogue, catalogueSummaryOf } from "./federation/catalogue-summary.js";
export { selfMember } from "./federation/self-member.js";
export type { SelfMemberInit } from "./federation/self-member.js";

// Client
export { createClient } from "./client/create-client.js";
export type { IpfedClient } from "./client/create-client.js";
export { DEFAULT_DEADLINE_MS, DEFAULT_REFRESH_BEFORE_SECONDS } from "./client/client-options.js";
export type { ClientOptions, TlsOptions } from "./client/client-options.js";
export type { CallOptions, CallMetadata } from "./client/call-options.js";
export { DEFAULT_RETRY, backoffDelay, isRetryable } from "./client/retry.js";
export type { RetryOptions, RetryEvent, RetryPolicy } from "./client/retry.js";
export { readTokenExpiry } from "./client/token-source.js";
export type { TokenProvider } from "./client/token-source.js";
export type { CatalogueClient, ListDatasetsInit } from "./client/catalogue-client.js";
export type { SearchClient, SearchInit, SearchResult, RecordLookup } from "./client/search-client.js";
export type { ExchangeClient, ExportInit, HarvestInit, PublishItemInit } from "./client/exchange-client.js";
export { HarvestStream } from "./client/harvest-stream.js";
export type { FederationClient, ListMembersInit } from "./client/federation-client.js";
export type { MessageInit } from "./client/message-init.js";
