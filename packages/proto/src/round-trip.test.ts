import { credentials, makeGenericClientConstructor, Server, ServerCredentials } from "@grpc/grpc-js";
import type { ServiceDefinition, UntypedServiceImplementation } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as proto from "./index.js";
import { protoRegistry } from "./descriptors.js";
import { sampleJson } from "./sample-messages.test-helper.js";

interface MessageFns {
  encode(m: unknown): { finish(): Uint8Array };
  decode(b: Uint8Array): unknown;
  fromJSON(o: unknown): unknown;
  toJSON(m: unknown): unknown;
}

// Every message of ipfed.v1 that ts-proto generated, found through the descriptors so that a
// new message cannot be forgotten here.
const messages = [...protoRegistry()]
  .filter((t) => t.kind === "message" && t.typeName.startsWith("ipfed.v1.") && !t.typeName.endsWith("Entry"))
  .map((t) => {
    if (t.kind !== "message") throw new Error("unreachable");
    const exportName = t.typeName.slice("ipfed.v1.".length).replace(/\./g, "_");
    return { desc: t, name: exportName, fns: (proto as unknown as Record<string, MessageFns>)[exportName] };
  });

// An echo service with one unary method per message type.
const definition: ServiceDefinition = Object.fromEntries(
  messages.map(({ name, fns }) => [
    name,
    {
      path: `/ipfed.test.Echo/${name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (v: unknown) => Buffer.from(fns!.encode(v).finish()),
      requestDeserialize: (b: Buffer) => fns!.decode(b),
      responseSerialize: (v: unknown) => Buffer.from(fns!.encode(v).finish()),
      responseDeserialize: (b: Buffer) => fns!.decode(b),
    },
  ]),
);

let server: Server;
let client: Record<string, (req: unknown, cb: (err: Error | null, res: unknown) => void) => void>;

beforeAll(async () => {
  server = new Server();
  const impl: UntypedServiceImplementation = Object.fromEntries(
    messages.map(({ name }) => [name, (call: { request: unknown }, cb: (e: null, r: unknown) => void) => cb(null, call.request)]),
  );
  server.addService(definition, impl);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  const Client = makeGenericClientConstructor(definition, "Echo");
  client = new Client(`127.0.0.1:${port}`, credentials.createInsecure()) as unknown as typeof client;
});

afterAll(() => {
  server.forceShutdown();
});

describe("every ipfed.v1 message survives a trip through a gRPC server on loopback", () => {
  it("covers the whole protocol", () => {
    expect(messages.map((m) => m.name)).toContain("Record");
    expect(messages.map((m) => m.name)).toContain("SearchEvent");
    expect(messages.map((m) => m.name)).toContain("NetworkConfig");
    expect(messages.length).toBeGreaterThanOrEqual(60);
    for (const m of messages) expect(m.fns, `${m.name} is exported by @ipfed/proto`).toBeDefined();
  });

  for (const { desc, name, fns } of messages) {
    it(name, async () => {
      for (const json of sampleJson(desc)) {
        const msg = fns!.fromJSON(json);
        // Every field of the sample is set to a non-default value, so a field that did not
        // survive the trip shows up as a difference.
        expect(fns!.toJSON(msg)).toEqual(json);
        const echoed = await new Promise<unknown>((resolve, reject) =>
          client[name]!(msg, (err, res) => (err ? reject(err) : resolve(res))),
        );
        expect(echoed).toEqual(msg);
        expect(fns!.toJSON(echoed)).toEqual(json);
      }
    });
  }
});
