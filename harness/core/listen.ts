/**
 * Every server the project starts listens here: on loopback only, on a port the OS chooses (never
 * a fixed one), and closes with its connections.
 */
import type net from 'node:net';
import type { AddressInfo } from 'node:net';

/** Listens on 127.0.0.1 port 0; resolves to the port the OS gave. */
export function listenLoopback(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes a server and every connection it holds (an HTTP server's keep-alive ones included). */
export function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    (server as net.Server & { closeAllConnections?: () => void }).closeAllConnections?.();
    server.close(() => resolve());
  });
}

/** A port free right now on loopback (for a program that must be told its port, like php -S). */
export async function freeLoopbackPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const probe = createServer();
  const port = await listenLoopback(probe);
  await closeServer(probe);
  return port;
}
