// Node 20 lacks Promise.withResolvers, which libp2p uses; Node 22+ has it.
import "../../packages/sdk/src/polyfills.js";
