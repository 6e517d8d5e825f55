import { Server, ServerCredentials } from "@grpc/grpc-js";
import type { ServerInterceptor, ServiceDefinition, UntypedServiceImplementation } from "@grpc/grpc-js";
import { loadFileDescriptorSetFromBuffer, loadSync } from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";
import { HealthImplementation, protoPath as healthProtoPath } from "grpc-health-check";
import type { ServingStatus } from "grpc-health-check";
import { descriptorSetBase64 } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import { encodedBytes, isEncodedMessage } from "./encoded-message.js";
import { assertPlaintextAllowed } from "../tls/tls-credentials.js";
import type { MemberServerCredentials } from "../tls/tls-credentials.js";

/**
 * Options of {@link createGrpcServer}.
 *
 * @example
 * ```ts
 * const options: GrpcServerOptions = { maxMessageBytes: 8 * 1024 * 1024, shutdownGraceMs: 5000 };
 * const grpc = createGrpcServer(options);
 * ```
 */
export interface GrpcServerOptions {
  /**
   * Largest message the server accepts or sends, in bytes.
   * @defaultValue 16 MiB
   */
  maxMessageBytes?: number;
  /**
   * How long {@link GrpcServer.close} lets calls finish before cutting them, in milliseconds.
   * @defaultValue 5000
   */
  shutdownGraceMs?: number;
  /** Server interceptors, outermost first (the auth interceptor of `createMemberServer`). */
  interceptors?: ServerInterceptor[];
  /**
   * TLS: usually a {@link MemberServerCredentials} (the member's certificate, client
   * certificates of its peers accepted). Plaintext when absent.
   */
  credentials?: ServerCredentials;
  /**
   * Serve plaintext on an address that is not loopback. Without it, {@link GrpcServer.listen}
   * refuses such an address with `PLAINTEXT_REFUSED` unless `credentials` are set.
   * @defaultValue false
   */
  allowPlaintext?: boolean;
}

/**
 * A gRPC server with health and reflection, ready for ipfed services.
 *
 * @example
 * ```ts
 * const grpc: GrpcServer = createGrpcServer({ shutdownGraceMs: 2000 });
 * grpc.addService("ipfed.v1.SearchService", SearchServiceService, createSearchService(dataSource, access, "scu-tisc"));
 * console.log(await grpc.listen("127.0.0.1:0")); // "127.0.0.1:40123"
 * ```
 */
export interface GrpcServer {
  /** The grpc-js server, for adding services. */
  readonly server: Server;
  /** Registers a service; its health status starts SERVING. */
  addService(name: string, definition: ServiceDefinition, implementation: UntypedServiceImplementation): void;
  /** Sets the health of a service (`""` is the whole server). */
  setHealth(service: string, state: ServingStatus): void;
  /** Binds `host:port` (port 0 picks a free one) and returns the bound `host:port`. */
  listen(address: string): Promise<string>;
  /** Stops accepting calls, lets running ones finish within the grace period, then stops. */
  close(): Promise<void>;
}

/**
 * Creates a gRPC server with the standard `grpc.health.v1.Health` service and server
 * reflection (v1 and v1alpha) over the whole ipfed.v1 schema.
 *
 * @example
 * ```ts
 * const grpc = createGrpcServer();
 * grpc.addService("ipfed.v1.SearchService", SearchServiceService, handlers);
 * const address = await grpc.listen("127.0.0.1:0");
 * ```
 */
export function createGrpcServer(options: GrpcServerOptions = {}): GrpcServer {
  const maxMessageBytes = options.maxMessageBytes ?? 16 * 1024 * 1024;
  const shutdownGraceMs = options.shutdownGraceMs ?? 5000;
  const server = new Server({
    "grpc.max_receive_message_length": maxMessageBytes,
    "grpc.max_send_message_length": maxMessageBytes,
    interceptors: options.interceptors ?? [],
  });
  const health = new HealthImplementation({ "": "SERVING" });
  health.addToServer(server);
  const reflection = new ReflectionService({
    ...loadFileDescriptorSetFromBuffer(Buffer.from(descriptorSetBase64, "base64")),
    ...loadSync(healthProtoPath),
  });
  reflection.addToServer(server);
  let bound = false;

  return {
    server,
    addService(name, definition, implementation) {
      server.addService(tolerantDecoding(definition), implementation);
      health.setStatus(name, "SERVING");
    },
    setHealth(service, state) {
      health.setStatus(service, state);
    },
    listen(address) {
      return new Promise((resolve, reject) => {
        if (!options.credentials) {
          try {
            assertPlaintextAllowed(address, options.allowPlaintext, "plaintext gRPC on");
          } catch (err) {
            reject(err);
            return;
          }
        }
        server.bindAsync(address, options.credentials ?? ServerCredentials.createInsecure(), (err, port) => {
          if (err) {
            reject(new IpfedError("UNAVAILABLE", `cannot listen on ${address}: ${err.message}`, { cause: err }));
            return;
          }
          bound = true;
          const host = address.slice(0, address.lastIndexOf(":"));
          resolve(`${host}:${port}`);
        });
      });
    },
    close() {
      if (!bound) return Promise.resolve();
      bound = false;
      health.setStatus("", "NOT_SERVING");
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, shutdownGraceMs);
        timer.unref();
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}

/**
 * Marks a request whose bytes are not a valid message of its type: the auth interceptor
 * answers it with `REQUEST_MALFORMED` (INVALID_ARGUMENT), where grpc-js itself would answer
 * INTERNAL, which says "the member failed" rather than "your request is wrong".
 */
export const UNDECODABLE = Symbol("ipfed.undecodable");

/** A request that could not be decoded, carried to the interceptor in place of the message. */
export interface UndecodableRequest {
  readonly [UNDECODABLE]: string;
}

/**
 * True for the stand-in of a request that could not be decoded.
 *
 * @example
 * ```ts
 * if (isUndecodable(message)) call.sendStatus({ code: status.INVALID_ARGUMENT, details: message[UNDECODABLE] });
 * ```
 */
export function isUndecodable(message: unknown): message is UndecodableRequest {
  return typeof message === "object" && message !== null && UNDECODABLE in message;
}

function tolerantDecoding(definition: ServiceDefinition): ServiceDefinition {
  const out: { [method: string]: ServiceDefinition[string] } = {};
  for (const [name, method] of Object.entries(definition)) {
    const decode = method.requestDeserialize;
    const encode = method.responseSerialize;
    out[name] = {
      ...method,
      // A handler may answer with bytes it already holds (see encodedMessage).
      responseSerialize: (value: unknown) => (isEncodedMessage(value) ? encodedBytes(value) : encode(value)),
      requestDeserialize: (bytes: Buffer) => {
        try {
          return decode(bytes);
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          return { [UNDECODABLE]: `the request to ${method.path} is not a valid message of its type (${bytes.length} bytes: ${why})` };
        }
      },
    };
  }
  return out as ServiceDefinition;
}
