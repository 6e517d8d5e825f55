import type { LocalizedText, MemberKind } from "@ipfed/proto";
import type { MemberKey } from "../keys/member-key.js";

/**
 * Who a member is: what the server kit needs to answer for it.
 *
 * @example
 * ```ts
 * const identity: MemberIdentity = {
 *   id: "gd-sz-library",
 *   kind: MemberKind.MEMBER_KIND_LIBRARY,
 *   region: "440300",
 *   names: [{ lang: "zh", text: "深圳图书馆" }, { lang: "en", text: "Shenzhen Library" }],
 *   networkId: "ipfed",
 *   keys: () => [key],
 * };
 * ```
 */
export interface MemberIdentity {
  /** Member id (`sc-chengdu-tisc`). */
  readonly id: string;
  /** Role in the network. */
  readonly kind: MemberKind;
  /** Administrative division code (GB/T 2260). */
  readonly region: string;
  /** Names by language. */
  readonly names: readonly LocalizedText[];
  /** Network id; also a valid token audience. */
  readonly networkId: string;
  /** The member's keys, active first; read on each call so that rotation takes effect at once. */
  keys(): readonly MemberKey[];
  /**
   * The TLS certificate (PEM) its gRPC endpoint serves, when it serves TLS: announced in its
   * `Member` entry (`tls_certificate`, `tls_fingerprint`) for other members to pin.
   */
  readonly tlsCertificate?: string;
}
