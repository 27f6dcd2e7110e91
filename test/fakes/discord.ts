/**
 * A small fake Discord: REST (`/api/v10/...`) and a gateway (WebSocket) on 127.0.0.1, enough to
 * drive the real discord.js Client through quizbot's start-up path. It records every REST call
 * so tests assert on what the bot sent. Recipes: ../shared/PLATFORM-TESTING.md.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { checkCallback, checkCommands, checkMessage, checkThread, formBodyError, type Violation } from './discord-limits.js';

let seq = 0n;
/** Numeric snowflakes like Discord's: creation time (ms) in the high bits, increasing. */
export function snowflake(): string {
  const now = BigInt(Date.now() - 1420070400000) << 22n;
  // One per millisecond at most, so each message's creation time orders it (as on Discord).
  seq = now > seq ? now : seq + (1n << 22n);
  return seq.toString();
}

export interface RestCall {
  method: string;
  path: string;
  body: any;
  auth: string | undefined;
}

export interface FakeUser {
  id: string;
  username: string;
  bot?: boolean;
}

export interface FakeDiscordOptions {
  guildId?: string;
  channelId?: string;
  /** Permission bits of @everyone in the guild (string), default: everything. */
  everyonePermissions?: string;
}

export class FakeDiscord {
  readonly guildId: string;
  readonly channelId: string;
  readonly ownerId = snowflake();
  readonly botUser: FakeUser = { id: snowflake(), username: 'quizbot', bot: true };
  readonly applicationId = snowflake();
  readonly calls: RestCall[] = [];
  /** Messages by id (what the bot sent), with their channel. */
  readonly messages = new Map<string, any>();
  /** Fail the next N thread creations with 50013 Missing Permissions. */
  denyThreads = 0;
  /** Answer the next N message posts with a 429 (Retry-After seconds). */
  rateLimitPosts: number[] = [];
  /** Channels where posting is refused with 50013 Missing Permissions. */
  readonly denyPosts = new Set<string>();
  /** Every request Discord would have refused (400 50035), with what was wrong. */
  readonly rejected: { method: string; path: string; violations: Violation[] }[] = [];
  /** Reactions the bot added: `<channel>/<message>/<emoji>`. */
  readonly botReactions: string[] = [];
  /** nonce → message, per channel (enforce_nonce dedupe, as Discord does for a few minutes). */
  private readonly nonces = new Map<string, any>();
  private readonly threads = new Set<string>();
  private server: Server | null = null;
  private wss: WebSocketServer | null = null;
  private sockets = new Set<WebSocket>();
  private s = 0;
  url = '';

  constructor(private readonly opts: FakeDiscordOptions = {}) {
    this.guildId = opts.guildId ?? snowflake();
    this.channelId = opts.channelId ?? snowflake();
  }

  get apiUrl(): string {
    return `${this.url}/api`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.wss = new WebSocketServer({ server: this.server });
    this.wss.on('connection', (ws) => this.onSocket(ws));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    this.wss?.close();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  // ---- gateway ---------------------------------------------------------------------------

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 30_000 }, s: null, t: null }));
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString()) as { op: number; d: any };
      if (msg.op === 1) ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      if (msg.op === 2) {
        this.live = ws;
        this.ready(ws, msg.d?.intents);
      }
      if (msg.op === 6) this.resumed(ws);
    });
  }

  readyIntents: number | null = null;
  /** The socket events go to; null while the client reconnects (events queue up meanwhile). */
  private live: WebSocket | null = null;
  private pending: { t: string; d: unknown }[] = [];
  resumes = 0;

  /** Asks the client to reconnect (op 7): it must RESUME, and events sent meanwhile must arrive. */
  requestReconnect(): void {
    const ws = this.live;
    this.live = null;
    ws?.send(JSON.stringify({ op: 7, d: null, s: null, t: null }));
  }

  private resumed(ws: WebSocket): void {
    this.resumes++;
    this.live = ws;
    for (const e of this.pending.splice(0)) ws.send(JSON.stringify({ op: 0, t: e.t, d: e.d, s: ++this.s }));
    ws.send(JSON.stringify({ op: 0, t: 'RESUMED', d: null, s: ++this.s }));
  }

  private ready(ws: WebSocket, intents: number | undefined): void {
    this.readyIntents = intents ?? null;
    const send = (t: string, d: unknown) => ws.send(JSON.stringify({ op: 0, t, d, s: ++this.s }));
    send('READY', {
      v: 10,
      user: { ...this.botUser, discriminator: '0', avatar: null, global_name: null },
      guilds: [{ id: this.guildId, unavailable: true }],
      session_id: 'fake-session',
      resume_gateway_url: this.url.replace('http', 'ws'),
      application: { id: this.applicationId, flags: 0 },
    });
    send('GUILD_CREATE', this.guild());
  }

  guild(): any {
    return {
      id: this.guildId,
      name: 'Study Group',
      owner_id: this.ownerId,
      features: [],
      emojis: [],
      stickers: [],
      roles: [
        {
          id: this.guildId,
          name: '@everyone',
          permissions: this.opts.everyonePermissions ?? '2199023255551',
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      members: [
        { user: { ...this.botUser, discriminator: '0', avatar: null }, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
      ],
      channels: [{ id: this.channelId, type: 0, name: 'interview-prep', guild_id: this.guildId, position: 0, permission_overwrites: [] }],
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      member_count: 4,
      large: false,
      unavailable: false,
      joined_at: new Date().toISOString(),
      premium_tier: 0,
      preferred_locale: 'en-US',
      system_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
    };
  }

  dispatch(t: string, d: unknown): void {
    if (!this.live || this.live.readyState !== 1) {
      this.pending.push({ t, d });
      return;
    }
    this.live.send(JSON.stringify({ op: 0, t, d, s: ++this.s }));
  }

  /** A member's message in a channel or thread (the MESSAGE_CREATE the bot receives). */
  userMessage(channelId: string, user: FakeUser, content: string, id = snowflake()): string {
    this.dispatch('MESSAGE_CREATE', this.message(channelId, user, content, id));
    return id;
  }

  userEdit(channelId: string, user: FakeUser, id: string, content: string): void {
    this.dispatch('MESSAGE_UPDATE', { ...this.message(channelId, user, content, id), edited_timestamp: new Date().toISOString() });
  }

  /** What Discord sends when a link in a message resolves into an embed: an update, not an edit. */
  linkEmbedResolved(channelId: string, user: FakeUser, id: string, content: string): void {
    this.dispatch('MESSAGE_UPDATE', {
      ...this.message(channelId, user, content, id),
      edited_timestamp: null,
      embeds: [{ type: 'link', url: 'https://example.com/', title: 'Example' }],
    });
  }

  /** A member adds (or removes) a reaction to any message. */
  userReaction(channelId: string, messageId: string, user: FakeUser, emoji: string, authorId: string, added = true): void {
    this.dispatch(added ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE', {
      user_id: user.id,
      channel_id: channelId,
      message_id: messageId,
      guild_id: this.guildId,
      emoji: { id: null, name: emoji },
      burst: false,
      type: 0,
      ...(added
        ? {
            message_author_id: authorId,
            member: {
              user: { ...user, discriminator: '0', avatar: null, global_name: user.username },
              roles: [],
              joined_at: new Date().toISOString(),
              deaf: false,
              mute: false,
              flags: 0,
            },
          }
        : {}),
    });
  }

  /** An INTERACTION_CREATE missing fields discord.js requires (what a broken proxy or a new API version might send). */
  malformedInteraction(): void {
    this.dispatch('INTERACTION_CREATE', {
      id: snowflake(),
      type: 2,
      token: 'x',
      guild_id: this.guildId,
      channel_id: this.channelId,
      data: { name: 'quiz', type: 1 },
      version: 1,
    });
  }

  message(channelId: string, user: FakeUser, content: string, id: string): any {
    return {
      id,
      channel_id: channelId,
      guild_id: this.guildId,
      author: { ...user, discriminator: '0', avatar: null, global_name: user.username },
      member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      type: 0,
      flags: 0,
    };
  }

  /** An interaction from a member: type 2 slash command, 3 button, 4 autocomplete, 5 modal submit. */
  interaction(
    type: 2 | 3 | 4 | 5,
    user: FakeUser,
    data: any,
    extra: { permissions?: string; channelId?: string; message?: any } = {},
  ): { id: string; token: string } {
    const id = snowflake();
    const token = `tok-${id}`;
    const channelId = extra.channelId ?? this.channelId;
    this.dispatch('INTERACTION_CREATE', {
      id,
      token,
      type,
      application_id: this.applicationId,
      guild_id: this.guildId,
      channel_id: channelId,
      channel: { id: channelId, type: 0, guild_id: this.guildId, name: 'interview-prep' },
      member: {
        user: { ...user, discriminator: '0', avatar: null, global_name: user.username },
        roles: [],
        permissions: extra.permissions ?? '0',
        joined_at: new Date().toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
      },
      data,
      message: extra.message,
      version: 1,
      app_permissions: '2199023255551',
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': this.guildId },
      context: 0,
    });
    return { id, token };
  }

  callbacks(interactionId: string): RestCall[] {
    return this.calls.filter((c) => c.path.includes(`/interactions/${interactionId}/`));
  }

  /** Messages the bot posted to a channel or thread, oldest first. */
  posted(channelId: string): any[] {
    return this.calls.filter((c) => c.method === 'POST' && c.path === `/api/v10/channels/${channelId}/messages`).map((c) => c.body);
  }

  async waitFor<T>(what: string, fn: () => T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = fn();
      if (v) return v;
      if (Date.now() > end) throw new Error(`fake Discord: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  // ---- REST -----------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: any = null;
    if (raw) {
      const ct = req.headers['content-type'] ?? '';
      if (ct.includes('multipart/form-data')) {
        const m = /name="payload_json"[^\n]*\r?\n(?:[^\n]*\r?\n)*?\r?\n([\s\S]*?)\r?\n--/.exec(raw);
        body = m ? JSON.parse(m[1]!) : raw;
      } else {
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
      }
    }
    const url = new URL(req.url ?? '/', this.url);
    // discord.js URL-encodes path parts (`@original` arrives as `%40original`, emoji as UTF-8).
    const path = decodeURIComponent(url.pathname);
    const method = req.method ?? 'GET';
    this.calls.push({ method, path, body, auth: req.headers.authorization });
    const json = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(data === undefined ? '' : JSON.stringify(data));
    };
    let m: RegExpExecArray | null;
    const reject = (violations: Violation[]) => {
      this.rejected.push({ method, path, violations });
      return json(400, formBodyError(violations));
    };
    if (method === 'GET' && path === '/api/v10/gateway/bot') {
      return json(200, {
        url: this.url.replace('http', 'ws'),
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      });
    }
    if ((m = /^\/api\/v10\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path))) {
      const bad = checkCallback(body);
      if (bad.length) return reject(bad);
      res.writeHead(204);
      return void res.end();
    }
    if ((m = /^\/api\/v10\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(@original|\d+))?$/.exec(path))) {
      if (m[1] !== this.applicationId) return json(404, { code: 10015, message: 'Unknown Webhook' });
      const bad = checkMessage(body ?? {}, { edit: method === 'PATCH' });
      if (bad.length) return reject(bad);
      return json(200, this.botMessage(this.channelId, body ?? {}));
    }
    if ((m = /^\/api\/v10\/channels\/(\d+)\/messages\/(\d+)\/reactions\/([^/]+)\/@me$/.exec(path)) && method === 'PUT') {
      this.botReactions.push(`${m[1]}/${m[2]}/${m[3]}`);
      res.writeHead(204);
      return void res.end();
    }
    if ((m = /^\/api\/v10\/channels\/(\d+)\/messages\/(\d+)$/.exec(path)) && method === 'PATCH') {
      const bad = checkMessage(body ?? {}, { edit: true });
      if (bad.length) return reject(bad);
      const msg = this.messages.get(m[2]!);
      if (!msg || msg.channel_id !== m[1]) return json(404, { code: 10008, message: 'Unknown Message' });
      for (const k of ['content', 'embeds', 'components'] as const) if (body && k in body) msg[k] = body[k];
      msg.edited_timestamp = new Date().toISOString();
      return json(200, msg);
    }
    if ((m = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(path)) && method === 'GET') {
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const list = [...this.messages.values()]
        .filter((x) => x.channel_id === m![1])
        .reverse()
        .slice(0, limit);
      return json(200, list);
    }
    if ((m = /^\/api\/v10\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(path)) && method === 'POST') {
      const bad = checkThread(body);
      if (bad.length) return reject(bad);
      if (this.threads.has(m[2]!)) return json(400, { code: 160004, message: 'A thread has already been created for this message' });
      if (this.denyThreads > 0) {
        this.denyThreads--;
        return json(403, { code: 50013, message: 'Missing Permissions' });
      }
      const thread = {
        id: m[2],
        type: 11,
        guild_id: this.guildId,
        parent_id: m[1],
        name: body?.name ?? 'thread',
        owner_id: this.botUser.id,
        thread_metadata: {
          archived: false,
          auto_archive_duration: body?.auto_archive_duration ?? 1440,
          archive_timestamp: new Date().toISOString(),
          locked: false,
        },
        message_count: 0,
        member_count: 1,
        rate_limit_per_user: 0,
        flags: 0,
      };
      this.threads.add(m[2]!);
      this.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
      return json(201, thread);
    }
    if ((m = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(path)) && method === 'POST') {
      const wait = this.rateLimitPosts.shift();
      if (wait !== undefined) {
        return json(
          429,
          { message: 'You are being rate limited.', retry_after: wait, global: false },
          { 'Retry-After': String(wait), 'X-RateLimit-Scope': 'user' },
        );
      }
      const bad = checkMessage(body ?? {});
      if (bad.length) return reject(bad);
      if (this.denyPosts.has(m[1]!)) return json(403, { code: 50013, message: 'Missing Permissions' });
      const key = body?.enforce_nonce && body.nonce ? `${m[1]}:${body.nonce}` : null;
      if (key && this.nonces.has(key)) return json(200, this.nonces.get(key));
      const created = this.botMessage(m[1]!, body ?? {});
      if (key) this.nonces.set(key, created);
      return json(200, created);
    }
    if ((m = /^\/api\/v10\/channels\/(\d+)$/.exec(path)) && method === 'GET') {
      return json(200, { id: m[1], type: 0, guild_id: this.guildId, name: 'channel', permission_overwrites: [] });
    }
    if ((m = /^\/api\/v10\/users\/@me\/channels$/.exec(path))) {
      return json(200, { id: snowflake(), type: 1, recipients: [{ id: body?.recipient_id, username: 'owner', discriminator: '0' }] });
    }
    if (method === 'GET' && (m = /^\/api\/v10\/guilds\/(\d+)\/members\/(\d+)$/.exec(path))) {
      return json(200, {
        user: { id: m[2], username: 'owner', discriminator: '0', avatar: null },
        roles: [],
        joined_at: new Date().toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
      });
    }
    if (method === 'PUT' && /\/commands$/.test(path)) {
      const bad = checkCommands(body);
      if (bad.length) return reject(bad);
      return json(200, body ?? []);
    }
    return json(404, { code: 0, message: `fake Discord: no route for ${method} ${path}` });
  }

  private botMessage(channelId: string, body: any): any {
    const msg = {
      ...this.message(channelId, this.botUser, body.content ?? '', snowflake()),
      embeds: body.embeds ?? [],
      components: body.components ?? [],
    };
    this.messages.set(msg.id, msg);
    return msg;
  }
}
