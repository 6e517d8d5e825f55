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
