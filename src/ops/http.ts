/**
 * QUIZBOT_HTTP_PORT: `/healthz` (the process is alive), `/readyz` (Redis answers, platforms are
 * connected, job workers run — 503 with the failing checks otherwise) and `/metrics` (Prometheus).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/ports.js';

export type ReadinessCheck = () => Promise<boolean> | boolean;

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/** The health/metrics port cannot be opened: a start-up failure with one clear line. */
export class PortUnavailableError extends Error {
  override name = 'PortUnavailableError';
}

export async function startOpsServer(opts: {
  port: number;
  host?: string;
  logger: Logger;
  metrics: () => Promise<string>;
  checks: Record<string, ReadinessCheck>;
}): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, JSON.stringify({ error: 'method not allowed' }));
    if (path === '/healthz') return send(200, JSON.stringify({ status: 'ok' }));
    if (path === '/readyz') {
      void (async () => {
        const results: Record<string, boolean> = {};
        for (const [name, check] of Object.entries(opts.checks)) {
          results[name] = await Promise.race([Promise.resolve().then(check), new Promise<boolean>((r) => setTimeout(() => r(false), 2_000).unref())]).catch(
            () => false,
          );
        }
        const ok = Object.values(results).every(Boolean);
        send(ok ? 200 : 503, JSON.stringify({ status: ok ? 'ready' : 'not ready', checks: results }));
      })();
      return;
    }
    if (path === '/metrics') {
      void opts.metrics().then(
        (text) => send(200, text, 'text/plain; version=0.0.4; charset=utf-8'),
        (err: unknown) => {
          opts.logger.error('metrics collection failed', { err });
          send(500, JSON.stringify({ error: 'metrics unavailable' }));
        },
      );
      return;
    }
    send(404, JSON.stringify({ error: 'not found', endpoints: ['/healthz', '/readyz', '/metrics'] }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE' || err.code === 'EACCES'
          ? new PortUnavailableError(
              `QUIZBOT_HTTP_PORT=${opts.port} ${err.code === 'EADDRINUSE' ? 'is already in use by another process' : 'may not be opened by this user'}: choose another port, or leave it unset to turn the endpoints off.`,
            )
          : err,
      ),
    );
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  opts.logger.info('health and metrics endpoints listening', { port });
  return {
    port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
