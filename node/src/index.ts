export { IpfedNode } from "./ipfed-node.js";
export type { IpfedNodeInit } from "./ipfed-node.js";
export { loadConfig, saveConfig, validateConfig, parseAddress, CONFIG_FILE, MEMBER_KINDS } from "./config/node-config.js";
export type { NodeConfig, MemberKindName } from "./config/node-config.js";
export { createKeyRing, loadKeyRing, saveKeyRing, KEYS_FILE } from "./config/key-store.js";
export type { KeyRing } from "./config/key-store.js";
export { createLogger } from "./logger.js";
export type { LoggerOptions, Logger } from "./logger.js";
