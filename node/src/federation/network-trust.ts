import type { NetworkConfig } from "@ipfed/proto";
import type { IssuerKeys } from "@ipfed/sdk";

/**
 * Where a network configuration stands: `valid` before its expiry, `expired-in-grace` during
 * the grace period after it (still trusted, refresh urgently), `past-grace` after that
 * (foreign tokens refused), `none` when the node has never accepted one.
 */
export type NetworkConfigState = "valid" | "expired-in-grace" | "past-grace" | "none";

/**
 * What a node's token verifier takes from the network configuration, whoever holds it: the
 * hub that signs it (`ConfigPublisher`) or a member that fetched it (`NetworkConfigClient`).
 * `NodeTrust` merges it with its own keys and `trust.issuers` from ipfed.json.
 */
export interface NetworkTrustSource {
  /** Member id → keys and tier cap; empty when there is no configuration or it is past grace. */
  issuers(): ReadonlyMap<string, IssuerKeys>;
  /** Tells whether the network revoked a token (checked whatever the state: a revocation only ever refuses). */
  revoked(jti: string, issuer: string): boolean;
  /** Where the configuration stands now. */
  state(): NetworkConfigState;
  /** Changes whenever `issuers()` or `revoked()` may answer differently: a key for verify caches. */
  trustVersion(): string;
  /** Calls `listener` after the configuration or its state changed; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}

/**
 * Returns where a configuration stands at `now`; `graceSeconds` defaults to the
 * configuration's own.
 *
 * @example
 * ```ts
 * configState(config, new Date()); // "valid"
 * ```
 */
export function configState(config: NetworkConfig | undefined, now: Date, graceSeconds?: number): NetworkConfigState {
  if (config === undefined) return "none";
  const expires = Date.parse(config.expiresTime ?? "");
  if (!Number.isFinite(expires)) return "past-grace";
  const t = now.getTime();
  if (t < expires) return "valid";
  return t < expires + (graceSeconds ?? config.graceSeconds) * 1000 ? "expired-in-grace" : "past-grace";
}

/**
 * A small listener set for `onChange` hooks; a throwing listener does not stop the others.
 *
 * @internal Shared by the publisher and the client.
 */
export class ChangeListeners {
  readonly #listeners = new Set<() => void>();

  /** Adds a listener; returns the function that removes it. */
  add(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Calls every listener. */
  emit(): void {
    for (const l of [...this.#listeners]) {
      try {
        l();
      } catch {
        // A listener's failure is its own; the change has happened either way.
      }
    }
  }
}

/** The logging a federation component does: pino's `Logger` fits, and so does a test double. */
export interface FederationLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A logger that drops everything: the default when none is given. */
export const SILENT_LOGGER: FederationLogger = { debug() {}, info() {}, warn() {}, error() {} };
