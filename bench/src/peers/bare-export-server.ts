// A bare grpc-js server (no ipfed code) that answers ipfed.v1.ExchangeService/Export by
// streaming length-prefixed messages from a file, as they are, honouring back-pressure: the
// transport limit the export scenario compares ipfed with, and the memory floor of a Node
// gRPC process for the footprint scenario. Usage:
//   node --import tsx bench/src/peers/bare-export-server.ts [messages.bin]
// Prints one JSON line {"msg":"ready","grpc":"127.0.0.1:PORT"} once it listens.
import { open } from "node:fs/promises";
import { once } from "node:events";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import type { ServerWritableStream } from "@grpc/grpc-js";

const file = process.argv[2];
const identity = (b: Buffer): Buffer => b;

async function stream(call: ServerWritableStream<Buffer, Buffer>): Promise<void> {
  if (file === undefined) {
    call.end();
    return;
  }
  const fh = await open(file, "r");
  try {
    const head = Buffer.alloc(4);
    let pos = 0;
    for (;;) {
      const h = await fh.read(head, 0, 4, pos);
      if (h.bytesRead < 4 || call.cancelled) break;
      const size = head.readUInt32BE(0);
      const body = Buffer.allocUnsafe(size);
      await fh.read(body, 0, size, pos + 4);
      pos += 4 + size;
      if (!call.write(body)) await Promise.race([once(call, "drain"), once(call, "cancelled")]);
    }
  } finally {
    await fh.close();
  }
  call.end();
}

const server = new Server();
server.addService(
  {
    Export: {
      path: "/ipfed.v1.ExchangeService/Export",
      requestStream: false,
      responseStream: true,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  },
  { Export: (call: ServerWritableStream<Buffer, Buffer>) => void stream(call).catch((err: Error) => call.destroy(err)) },
);
server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  console.log(JSON.stringify({ msg: "ready", grpc: `127.0.0.1:${port}` }));
});
process.on("SIGTERM", () => server.tryShutdown(() => process.exit(0)));
