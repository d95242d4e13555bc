// A TCP forwarder in front of the fake API for fault tests: it passes bytes both ways until told to become a black
// hole, then it keeps accepting connections and reading what clients send but answers nothing and forwards nothing,
// as a network partition or a hung API server looks to a client (no RST, no FIN: only silence).
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

export interface Forwarder {
  /** http://127.0.0.1:<port>, to put in a kubeconfig instead of the fake's own URL. */
  url: string;
  /** From now on nothing passes, on open connections or new ones. */
  blackHole(): void;
  /** Forward again; connections opened or silenced during the black hole are cut, as TCP would have given up. */
  restore(): void;
  /** Bytes received from clients while black-holed (shows that requests were sent and swallowed). */
  swallowedBytes(): number;
  stop(): Promise<void>;
}

export async function startForwarder(target: string): Promise<Forwarder> {
  const { hostname, port } = new URL(target);
  let holed = false;
  let swallowed = 0;
  const silenced = new Set<Socket>();
  const open = new Set<Socket>();

  const server = createServer((client) => {
    open.add(client);
    client.on('close', () => {
      open.delete(client);
      silenced.delete(client);
    });
    client.on('error', () => client.destroy());
    if (holed) {
      silenced.add(client);
      client.on('data', (chunk: Buffer) => {
        swallowed += chunk.length;
      });
      return;
    }
    const upstream = connect({ host: hostname, port: Number(port) });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => {
      if (!silenced.has(client)) {
        client.destroy();
      }
    });
    client.on('data', (chunk: Buffer) => {
      if (holed) {
        swallowed += chunk.length;
        silenced.add(client);
      } else {
        upstream.write(chunk);
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (holed) {
        silenced.add(client);
      } else {
        client.write(chunk);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    blackHole() {
      holed = true;
      for (const s of open) {
        silenced.add(s);
      }
    },
    restore() {
      holed = false;
      for (const s of silenced) {
        s.destroy();
      }
      silenced.clear();
    },
    swallowedBytes: () => swallowed,
    async stop() {
      for (const s of open) {
        s.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
