import { createServer, connect, type Server, type Socket } from 'node:net';

export interface FaultPlan {
  /** Close the client connection at once, before anything reaches the server. */
  drop: number;
  /** Hold the request for up to delayMs before forwarding. */
  delay: number;
  delayMs: number;
  /** Forward the request, then cut the answer off after a few bytes (the server did the work). */
  truncate: number;
}

export interface FlakyProxy {
  url: string;
  stats: { connections: number; dropped: number; delayed: number; truncated: number };
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 that misbehaves the way bad networks do: per connection it drops,
 * delays, or truncates the response, with the given probabilities.
 */
export async function startFlakyProxy(targetPort: number, plan: FaultPlan, random: () => number = Math.random): Promise<FlakyProxy> {
  const stats = { connections: 0, dropped: 0, delayed: 0, truncated: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    stats.connections++;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const r = random();
    if (r < plan.drop) {
      stats.dropped++;
      client.destroy();
      return;
    }
    const delay = r < plan.drop + plan.delay ? plan.delayMs * random() : 0;
    if (delay > 0) stats.delayed++;
    const truncate = r >= plan.drop + plan.delay && r < plan.drop + plan.delay + plan.truncate;
    if (truncate) stats.truncated++;
    client.pause();
    setTimeout(() => {
      const upstream = connect(targetPort, '127.0.0.1');
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      let sent = 0;
      upstream.on('data', (chunk: Buffer) => {
        if (truncate) {
          // Let the status line and part of the body through, then hang up.
          const room = 40 - sent;
          if (room > 0) client.write(chunk.subarray(0, room));
          sent += chunk.length;
          if (sent >= 40) {
            client.destroy();
            upstream.destroy();
          }
          return;
        }
        client.write(chunk);
      });
      upstream.on('end', () => client.end());
      client.pipe(upstream);
      client.resume();
    }, delay);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}
