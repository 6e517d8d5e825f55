import { createServer } from "node:net";
import { IpfedError } from "@ipfed/sdk";

/**
 * Checks that a `host:port` can be listened on, by listening on it for a moment. Port 0 is
 * always free.
 *
 * @throws IpfedError `UNAVAILABLE` naming the address and the flag that sets it when the
 *   port is taken (or the host cannot be bound).
 * @example
 * ```ts
 * await assertPortFree("127.0.0.1:7400", "--hub-grpc");
 * ```
 */
export async function assertPortFree(address: string, flag: string): Promise<void> {
  const i = address.lastIndexOf(":");
  const host = address.slice(0, i).replace(/^\[|\]$/g, "");
  const port = Number(address.slice(i + 1));
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once("error", (err: NodeJS.ErrnoException) => {
      const why = err.code === "EADDRINUSE" ? "is in use by another process" : `cannot be listened on (${err.code ?? err.message})`;
      reject(new IpfedError("UNAVAILABLE", `${address} (${flag}) ${why}; stop what holds it or choose another address with ${flag}`, { field: flag, cause: err }));
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}
