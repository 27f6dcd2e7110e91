/**
 * A small fake Slack: the Web API (`/api/<method>`), Socket Mode (WebSocket at `/link`) and a
 * signer for the Events API, on 127.0.0.1. It records every Web API call so tests assert on what
 * the bot sent. Recipes: ../shared/PLATFORM-TESTING.md.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface ApiCall {
  method: string;
  args: Record<string, any>;
  token: string | undefined;
}

export interface SlackUserInfo {
  id: string;
  name: string;
  is_admin?: boolean;
  is_owner?: boolean;
}

export class FakeSlack {
  readonly teamId = 'T0TEAM';
  readonly appId = 'A0APP';
  readonly botUserId = 'U0BOT';
  readonly calls: ApiCall[] = [];
  readonly responses: { path: string; body: any }[] = [];
  readonly users = new Map<string, SlackUserInfo>();
  /** Method → number of upcoming calls answered with 429 (Retry-After: 1). */
  readonly rateLimit = new Map<string, number>();
  url = '';
  private server: Server | null = null;
  private wss: WebSocketServer | null = null;
  private socket: WebSocket | null = null;
  private ts = 1_700_000_000;
  private acks = new Map<string, (payload: unknown) => void>();
  connections = 0;

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.wss = new WebSocketServer({ server: this.server, path: '/link' });
    this.wss.on('connection', (ws) => {
      this.connections++;
      this.socket = ws;
      ws.on('message', (raw) => {
        const m = JSON.parse(raw.toString()) as { envelope_id?: string; payload?: unknown };
        if (m.envelope_id) this.acks.get(m.envelope_id)?.(m.payload ?? null);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: this.appId } }));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const c of this.wss?.clients ?? []) c.terminate();
    this.wss?.close();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  nextTs(): string {
    this.ts += 1;
    return `${this.ts}.000100`;
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async waitFor<T>(what: string, fn: () => T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = fn();
      if (v) return v;
      if (Date.now() > end) throw new Error(`fake Slack: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  // ---- delivering to the app -------------------------------------------------------------

  /** Socket Mode: sends an envelope; resolves with the app's ack payload. */
  async envelope(type: 'events_api' | 'slash_commands' | 'interactive', payload: unknown, retryAttempt = 0, envelopeId = randomUUID()): Promise<unknown> {
    await this.waitFor('a socket connection', () => this.socket?.readyState === 1);
    const acked = new Promise<unknown>((resolve) => this.acks.set(envelopeId, resolve));
    this.socket!.send(JSON.stringify({ envelope_id: envelopeId, type, accepts_response_payload: type !== 'events_api', retry_attempt: retryAttempt, retry_reason: retryAttempt ? 'timeout' : '', payload }));
    return acked;
  }

  /** HTTP mode: POSTs like Slack does, signed with the secret (or forged / stale). */
  async http(appUrl: string, body: string, contentType: string, secret: string, opts: { ageSeconds?: number; forge?: boolean; retryNum?: number } = {}): Promise<{ status: number; text: string }> {
    const ts = Math.floor(Date.now() / 1000) - (opts.ageSeconds ?? 0);
    const sig = 'v0=' + createHmac('sha256', opts.forge ? 'not-the-secret' : secret).update(`v0:${ts}:${body}`).digest('hex');
    const headers: Record<string, string> = { 'Content-Type': contentType, 'X-Slack-Request-Timestamp': String(ts), 'X-Slack-Signature': sig };
    if (opts.retryNum) headers['X-Slack-Retry-Num'] = String(opts.retryNum);
    const res = await fetch(`${appUrl}/slack/events`, { method: 'POST', headers, body });
    return { status: res.status, text: await res.text() };
  }

  eventCallback(event: Record<string, unknown>, eventId = `Ev${randomUUID().slice(0, 8)}`): Record<string, unknown> {
    return { token: 'legacy', team_id: this.teamId, api_app_id: this.appId, type: 'event_callback', event_id: eventId, event_time: Math.floor(Date.now() / 1000), event, authorizations: [{ team_id: this.teamId, user_id: this.botUserId, is_bot: true }] };
  }

  command(channel: string, user: string, text: string): Record<string, string> {
    return {
      token: 'legacy',
      team_id: this.teamId,
      team_domain: 'study',
      channel_id: channel,
      channel_name: 'interview-prep',
      user_id: user,
      user_name: this.users.get(user)?.name ?? user,
      command: '/quiz',
      text,
      api_app_id: this.appId,
      response_url: `${this.url}/response/${randomUUID()}`,
      trigger_id: `trig-${randomUUID()}`,
    };
  }

  // ---- Web API ---------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const json = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(data));
    };
    const path = new URL(req.url ?? '/', this.url).pathname;
    if (path.startsWith('/response/')) {
      this.responses.push({ path, body: JSON.parse(raw || '{}') });
      return json(200, { ok: true });
    }
    const method = path.replace(/^\/api\//, '');
    const args: Record<string, any> = {};
    if ((req.headers['content-type'] ?? '').includes('application/json')) Object.assign(args, JSON.parse(raw || '{}'));
    else for (const [k, v] of new URLSearchParams(raw)) args[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    const limited = this.rateLimit.get(method) ?? 0;
    if (limited > 0) {
      this.rateLimit.set(method, limited - 1);
      this.calls.push({ method: `${method}#429`, args, token: req.headers.authorization });
      return json(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '1' });
    }
    this.calls.push({ method, args, token: req.headers.authorization });
    switch (method) {
      case 'auth.test':
        return json(200, { ok: true, url: 'https://study.slack.com/', team: 'Study', user: 'quizbot', team_id: this.teamId, user_id: this.botUserId, bot_id: 'B0BOT', is_enterprise_install: false });
      case 'apps.connections.open':
        return json(200, { ok: true, url: `${this.url.replace('http', 'ws')}/link` });
      case 'chat.postMessage':
        return json(200, { ok: true, channel: args.channel, ts: this.nextTs(), message: { text: args.text } });
      case 'chat.postEphemeral':
        return json(200, { ok: true, message_ts: this.nextTs() });
      case 'views.open':
        return json(200, { ok: true, view: { id: 'V1' } });
      case 'users.info': {
        const u: SlackUserInfo = this.users.get(args.user) ?? { id: String(args.user), name: String(args.user) };
        return json(200, { ok: true, user: { id: u.id, name: u.name, real_name: u.name, is_admin: u.is_admin ?? false, is_owner: u.is_owner ?? false, profile: { display_name: u.name, real_name: u.name } } });
      }
      default:
        return json(200, { ok: true });
    }
  }
}
