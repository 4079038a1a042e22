// An HTTP proxy on 127.0.0.1 in front of a real object-storage server (Azurite, s3rver), for fault
// tests: it forwards every request unchanged (headers included, so S3 and Azure signatures stay
// valid) and can slow answers down, stop answering, go away (connection refused, as a stopped
// server) and come back on the same port, or let a hook act on the n-th request.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SeenRequest {
  n: number;
  method: string;
  url: string;
}

export interface FaultProxy {
  /** `http://127.0.0.1:PORT` — put it where the server's endpoint goes. */
  endpoint: string;
  port: number;
  requests: SeenRequest[];
  /** Milliseconds to wait before forwarding each request (a slow server). */
  delayMs: number;
  /** Accept requests and never answer them (a server that hangs). */
  hang: boolean;
  /** Runs before each request is forwarded (after the delay); may take the proxy down. */
  onRequest?: (r: SeenRequest) => void | Promise<void>;
  /** Stops listening and cuts every open connection: clients now get "connection refused". */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  let isUp = false;

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const out = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  };

  const proxy: FaultProxy = {
    endpoint: '',
    port: 0,
    requests: [],
    delayMs: 0,
    hang: false,
    async down() {
      if (!isUp) return;
      isUp = false;
      const closed = new Promise<void>((r) => server!.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
    },
    async up() {
      if (isUp) return;
      server = createServer((req, res) => {
        const seen = { n: proxy.requests.length + 1, method: req.method ?? '', url: req.url ?? '' };
        proxy.requests.push(seen);
        req.pause();
        void (async () => {
          if (proxy.delayMs > 0) await new Promise((r) => setTimeout(r, proxy.delayMs));
          await proxy.onRequest?.(seen);
          if (proxy.hang || !isUp || req.socket.destroyed) return;
          req.resume();
          forward(req, res);
        })();
      });
      server.keepAliveTimeout = 1000;
      server.on('connection', (s: Socket) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, '127.0.0.1', () => resolve());
      });
      port = (server.address() as AddressInfo).port;
      proxy.port = port;
      proxy.endpoint = `http://127.0.0.1:${port}`;
      isUp = true;
    },
    async close() {
      proxy.hang = false;
      await proxy.down();
    },
  };
  await proxy.up();
  return proxy;
}
