import { createServer, type Server, type Socket } from 'node:net';

/** One proxied connection, as a fault hook sees it. */
export interface ProxiedConnection {
  /** The local port of the proxy's socket to the target: the server sees the connection as coming from it. */
  upstreamPort: number;
  /** Drops this connection (both sides). */
  drop(): void;
}

/** A loopback TCP proxy a test can cut, stall and slow, to make a real database or Redis "go away". */
export interface TcpProxy {
  port: number;
  /** Drops every open connection and refuses new ones until restored. */
  cut(): void;
  restore(): void;
  /**
   * A hung server: connections stay open (new ones are accepted too) but no byte moves in either direction until
   * resume(); what was sent meanwhile is then delivered, in order, as a server woken by SIGCONT would read it.
   */
  stall(): void;
  resume(): void;
  /** Holds each chunk the client sends for this many ms before passing it on (0: none). A slow server. */
  setLatency(ms: number): void;
  /**
   * Once, when a client chunk matching `pattern` (e.g. an SQL statement) arrives: holds it (and what follows on that
   * connection), runs `action`, then passes it on unless the connection was dropped meanwhile. Resolves when the
   * action has run.
   */
  onceClientSends(pattern: RegExp, action: (conn: ProxiedConnection) => Promise<unknown>): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let open = true;
  let latencyMs = 0;
  let stalled: { promise: Promise<void>; release: () => void } | null = null;
  let hook: { pattern: RegExp; run: (conn: ProxiedConnection) => Promise<void> } | null = null;
  const sockets = new Set<Socket>();
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  const server: Server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = new (client.constructor as typeof Socket)();
    upstream.connect(target.port, target.host);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
    };
    const conn: ProxiedConnection = {
      get upstreamPort() {
        return upstream.localPort ?? 0;
      },
      drop,
    };
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => {
        sockets.delete(s);
        drop();
      });
      s.on('error', drop);
    }
    // Each direction forwards its chunks in order, each one waiting out whatever fault is in force.
    let toServer = Promise.resolve();
    let toClient = Promise.resolve();
    client.on('data', (chunk: Buffer) => {
      toServer = toServer.then(async () => {
        const h = hook;
        if (h && h.pattern.test(chunk.toString('latin1'))) {
          hook = null;
          await h.run(conn);
        }
        if (latencyMs > 0) await sleep(latencyMs);
        while (stalled) await stalled.promise;
        if (!upstream.destroyed) upstream.write(chunk);
      });
    });
    upstream.on('data', (chunk: Buffer) => {
      toClient = toClient.then(async () => {
        while (stalled) await stalled.promise;
        if (!client.destroyed) client.write(chunk);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      open = true;
    },
    stall() {
      if (stalled) return;
      let release = (): void => undefined;
      const promise = new Promise<void>((r) => (release = r));
      stalled = { promise, release };
    },
    resume() {
      const s = stalled;
      stalled = null;
      s?.release();
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    onceClientSends(pattern, action) {
      return new Promise<void>((resolve, reject) => {
        hook = {
          pattern,
          run: async (conn) => {
            try {
              await action(conn);
              resolve();
            } catch (err) {
              reject(err instanceof Error ? err : new Error(String(err)));
            }
          },
        };
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        open = false;
        stalled?.release();
        stalled = null;
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
