/**
 * A small fake Discord: REST (`/api/v10/...`) and a gateway (WebSocket) on 127.0.0.1, enough to
 * drive the real discord.js Client through quizbot's start-up path. It records every REST call
 * so tests assert on what the bot sent. Recipes: ../shared/PLATFORM-TESTING.md.
 */
import { COMMAND_DEFINITIONS } from '../../src/platforms/discord/commands.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { checkCallback, checkCommands, checkMessage, checkThread, formBodyError, type Violation } from './discord-limits.js';
import { budget } from '../helpers/wait.js';

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
  /** The shard count GET /gateway/bot recommends (default 1). */
  recommendedShards?: number;
}

/** Which shard receives a guild's events: (guild_id >> 22) % shard_count, as Discord routes them. */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/**
 * A gateway session, as Discord keeps it: it outlives its connection (a client that drops
 * without closing it cleanly — a crash, a network cut, an op 7 reconnect — can RESUME it), and
 * every event sent to it is numbered, so a RESUME replays what came after the client's sequence.
 */
interface Session {
  id: string;
  /** The connection now (null while none is open). */
  ws: WebSocket | null;
  shard: [number, number];
  seq: number;
  /** Every event of the session with its sequence number: what a RESUME replays. */
  log: { s: number; t: string; d: unknown }[];
}

/** A bot token in Discord's shape (config checks the shape at start); the fake accepts any. */
export const FAKE_DISCORD_TOKEN = `MTAwMDAwMDAwMDAwMDAwMDAw.GfakeT.${'x'.repeat(38)}`;

/** Verbs of the text grammar (Slack, console): as `/quiz <verb>` they are not Discord commands. */
const QUIZ_VERBS = new Set([
  'reveal',
  'leaderboard',
  'stats',
  'streak',
  'history',
  'recap',
  'suggest',
  'help',
  'group',
  'groups',
  'notify',
  'schedule',
  'pause',
  'resume',
  'skip',
  'post',
  'approve',
  'reject',
  'suggestions',
  'grade',
  'reward-role',
]);

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
  /** Who each bot message would have notified (content mentions that allowed_mentions lets through). */
  readonly pings: { channelId: string; roles: string[]; users: string[]; everyone: boolean }[] = [];
  /** Roles per guild, and each member's roles (PUT/DELETE /guilds/:g/members/:u/roles/:r). */
  readonly roles = new Map<string, Set<string>>();
  readonly memberRoles = new Map<string, Set<string>>();
  /** Answer role changes with 50013 (the bot lacks Manage Roles). */
  denyRoles = false;

  /** A role in a guild (default: the first guild). */
  addRole(guildId = this.guildId, opts: { mentionable?: boolean } = {}): string {
    const id = snowflake();
    this.roles.set(guildId, (this.roles.get(guildId) ?? new Set()).add(id));
    if (opts.mentionable) this.mentionableRoles.add(id);
    return id;
  }

  /** Roles members may mention (Discord's default is not; the bot has no Mention Everyone). */
  private readonly mentionableRoles = new Set<string>();

  private recordPings(channelId: string, body: any): void {
    const content: string = typeof body?.content === 'string' ? body.content : '';
    const am = body?.allowed_mentions;
    // Without allowed_mentions Discord parses every mention type in the content.
    const parse: string[] = am ? (am.parse ?? []) : ['roles', 'users', 'everyone'];
    // A role pings only when allowed here and mentionable (the bot has no Mention Everyone).
    const roles = [...content.matchAll(/<@&(\d+)>/g)]
      .map((m) => m[1]!)
      .filter((id) => (parse.includes('roles') || (am?.roles ?? []).includes(id)) && this.mentionableRoles.has(id));
    const users = [...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1]!).filter((id) => parse.includes('users') || (am?.users ?? []).includes(id));
    const everyone = /@(everyone|here)/.test(content) && parse.includes('everyone');
    if (roles.length || users.length || everyone) this.pings.push({ channelId, roles, users, everyone });
  }
  /** nonce → message, per channel (enforce_nonce dedupe, as Discord does for a few minutes). */
  private readonly nonces = new Map<string, any>();

  /** Discord remembers a nonce for a few minutes only: after that a resend is a new message. */
  expireNonces(): void {
    this.nonces.clear();
  }
  /** Thread id → the thread object (GUILD_CREATE lists a guild's active threads, as Discord does). */
  private readonly threads = new Map<string, any>();
  private server: Server | null = null;
  private wss: WebSocketServer | null = null;
  private sockets = new Set<WebSocket>();
  url = '';

  /** Every guild the bot is in: guild id → its text channel (the first is guildId/channelId). */
  readonly guilds = new Map<string, { channelId: string; everyonePermissions?: string }>();
  /** Channel or thread id → its guild (DM channels: null). Posting anywhere else is Unknown Channel. */
  private readonly channelGuild = new Map<string, string | null>();

  constructor(private readonly opts: FakeDiscordOptions = {}) {
    this.guildId = opts.guildId ?? snowflake();
    this.channelId = opts.channelId ?? snowflake();
    this.guilds.set(this.guildId, { channelId: this.channelId });
    this.channelGuild.set(this.channelId, this.guildId);
  }

  /** Another guild the bot is in, with one text channel. */
  addGuild(opts: { everyonePermissions?: string } = {}): { guildId: string; channelId: string } {
    const guildId = snowflake();
    const channelId = snowflake();
    this.guilds.set(guildId, { channelId, ...opts });
    this.channelGuild.set(channelId, guildId);
    return { guildId, channelId };
  }

  /** The bot is added to a new guild while running: GUILD_CREATE, as Discord sends it then. */
  joinGuild(opts: { everyonePermissions?: string } = {}): { guildId: string; channelId: string } {
    const g = this.addGuild(opts);
    this.dispatch('GUILD_CREATE', { ...this.guild(g.guildId), guild_id: g.guildId });
    return g;
  }

  guildOf(channelId: string): string {
    return this.channelGuild.get(channelId) ?? this.guildId;
  }

  /** A moderator locks a thread: the bot's messages there are refused (160005) from then on. */
  lockThread(threadId: string): void {
    const t = this.threads.get(threadId);
    if (t) t.thread_metadata.locked = true;
  }

  /** Open gateway sessions per shard id: more than one means every event of that shard arrives twice. */
  sessionsPerShard(): Map<number, number> {
    const out = new Map<number, number>();
    for (const s of this.sessions) if (s.ws?.readyState === 1) out.set(s.shard[0], (out.get(s.shard[0]) ?? 0) + 1);
    return out;
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

  /** Gateway connections opened so far. */
  connections = 0;

  /** Closes every gateway connection with `code`: any but 1000/1001 leaves its session resumable. */
  closeConnections(code: number, reason = 'closed by the fake'): void {
    for (const ws of this.sockets) ws.close(code, reason);
  }

  private onSocket(ws: WebSocket): void {
    this.connections++;
    this.sockets.add(ws);
    ws.on('close', (code) => {
      this.sockets.delete(ws);
      // A clean close (1000/1001) ends the session, as on Discord; any other drop leaves it
      // resumable, its events kept for the RESUME.
      if (code === 1000 || code === 1001) this.sessions = this.sessions.filter((x) => x.ws !== ws);
      for (const x of this.sessions) if (x.ws === ws) x.ws = null;
    });
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 30_000 }, s: null, t: null }));
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString()) as { op: number; d: any };
      if (msg.op === 1) ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      if (msg.op === 2) {
        const shard = (msg.d?.shard as [number, number] | undefined) ?? [0, 1];
        // As Discord: a shard id outside the count is closed with 4010 Invalid shard.
        if (!Array.isArray(shard) || shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1]) return ws.close(4010, 'Invalid shard');
        this.identified.push(shard);
        const session: Session = { id: `fake-session-${shard[0]}-${++this.sessionCount}`, ws, shard, seq: 0, log: [] };
        this.sessions.push(session);
        this.ready(session, msg.d?.intents);
      }
      if (msg.op === 6) this.resumed(ws, msg.d as { session_id?: string; seq?: number | null });
    });
  }

  private sessionCount = 0;

  /** Numbers an event of the session, keeps it for a RESUME, and sends it if connected. */
  private send(session: Session, t: string, d: unknown): void {
    const s = ++session.seq;
    session.log.push({ s, t, d });
    if (session.ws?.readyState === 1) {
      session.ws.send(JSON.stringify({ op: 0, t, d, s }));
      this.countDelivery(d);
    }
  }

  readyIntents: number | null = null;
  /** Every IDENTIFY's shard, in order. */
  readonly identified: [number, number][] = [];
  private sessions: Session[] = [];
  /** Events for a shard no session exists for yet (delivered to the next session of that shard). */
  private pending: { t: string; d: unknown; guild: string | null }[] = [];
  /** Events sent while their shard had no session (lost, as on Discord). */
  lost = 0;
  resumes = 0;
  /** RESUMEs of a session this fake did not know (answered with op 9, not resumable). */
  invalidResumes = 0;

  /** Asks the clients to reconnect (op 7): they must RESUME, and events sent meanwhile must arrive. */
  requestReconnect(): void {
    for (const s of this.sessions) s.ws?.send(JSON.stringify({ op: 7, d: null, s: null, t: null }));
  }

  private resumed(ws: WebSocket, d: { session_id?: string; seq?: number | null }): void {
    const session = this.sessions.find((x) => x.id === d?.session_id);
    if (!session) {
      this.invalidResumes++;
      ws.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
      return;
    }
    this.resumes++;
    // The session moves to the new connection; an older one still open no longer gets its events.
    const old = session.ws;
    session.ws = ws;
    if (old && old !== ws && old.readyState === 1) old.close(4000, 'Session resumed elsewhere');
    for (const e of session.log.filter((x) => x.s > (d.seq ?? 0))) {
      ws.send(JSON.stringify({ op: 0, t: e.t, d: e.d, s: e.s }));
      this.countDelivery(e.d);
    }
    this.send(session, 'RESUMED', null);
  }

  private ready(session: Session, intents: number | undefined): void {
    this.readyIntents = intents ?? null;
    const shard = session.shard;
    const guilds = [...this.guilds.keys()].filter((g) => shardOf(g, shard[1]) === shard[0]);
    this.send(session, 'READY', {
      v: 10,
      user: { ...this.botUser, discriminator: '0', avatar: null, global_name: null },
      guilds: guilds.map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.url.replace('http', 'ws'),
      application: { id: this.applicationId, flags: 0 },
      shard,
    });
    for (const g of guilds) this.send(session, 'GUILD_CREATE', this.guild(g));
    const mine = this.pending.filter((e) => e.guild === null || shardOf(e.guild, shard[1]) === shard[0]);
    this.pending = this.pending.filter((e) => !mine.includes(e));
    for (const e of mine) this.send(session, e.t, e.d);
  }

  guild(guildId = this.guildId): any {
    const channelId = this.guilds.get(guildId)?.channelId ?? this.channelId;
    return {
      id: guildId,
      name: 'Study Group',
      owner_id: this.ownerId,
      features: [],
      emojis: [],
      stickers: [],
      roles: [
        {
          id: guildId,
          name: '@everyone',
          permissions: this.guilds.get(guildId)?.everyonePermissions ?? this.opts.everyonePermissions ?? '2199023255551',
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
      channels: [{ id: channelId, type: 0, name: 'interview-prep', guild_id: guildId, position: 0, permission_overwrites: [] }],
      threads: [...this.threads.values()].filter((t) => t.guild_id === guildId),
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

  /**
   * Sends an event to every live session of the shard its guild belongs to (two sessions on one
   * shard both get it, as on Discord); queued while that shard's client reconnects.
   */
  dispatch(t: string, d: unknown): void {
    const guild = (d as { guild_id?: string } | null)?.guild_id ?? null;
    const targets = this.sessions.filter((x) => guild === null || shardOf(guild, x.shard[1]) === x.shard[0]);
    if (targets.length === 0) {
      // As on Discord, an event no session of its shard exists for is lost — once that shard has
      // had a session; before (a test may send before the bot connects) it waits for the first.
      const had = this.identified.some(([id, count]) => guild === null || shardOf(guild, count) === id);
      if (had) this.lost++;
      else this.pending.push({ t, d, guild });
      return;
    }
    for (const x of targets) this.send(x, t, d);
  }

  /** Event id (message, interaction) → how many sessions it was sent to. */
  private readonly deliveries = new Map<string, number>();

  private countDelivery(d: unknown): void {
    const id = (d as { id?: unknown } | null)?.id;
    if (typeof id === 'string') this.deliveries.set(id, (this.deliveries.get(id) ?? 0) + 1);
  }

  /** How many gateway sessions an event (by message or interaction id) was sent to so far. */
  deliveredTo(id: string): number {
    return this.deliveries.get(id) ?? 0;
  }

  /** A member's message in a channel or thread (the MESSAGE_CREATE the bot receives). */
  userMessage(channelId: string, user: FakeUser, content: string, id = snowflake()): string {
    this.dispatch('MESSAGE_CREATE', this.message(channelId, user, content, id));
    return id;
  }

  userEdit(channelId: string, user: FakeUser, id: string, content: string): void {
    this.dispatch('MESSAGE_UPDATE', { ...this.message(channelId, user, content, id), edited_timestamp: new Date().toISOString() });
  }

  /** A member (or a moderator) deletes a message: MESSAGE_DELETE carries only its ids. */
  userDelete(channelId: string, id: string): void {
    this.dispatch('MESSAGE_DELETE', { id, channel_id: channelId, guild_id: this.guildId });
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
      guild_id: this.guildOf(channelId),
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
      guild_id: this.guildOf(channelId),
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
    extra: { permissions?: string; channelId?: string; message?: any; dm?: boolean } = {},
  ): { id: string; token: string } {
    const id = snowflake();
    const token = `tok-${id}`;
    if (extra.dm) {
      // In the bot's DMs: no guild, no member (a user), a DM channel, context 1 (BOT_DM).
      const dmId = snowflake();
      const u = { ...user, discriminator: '0', avatar: null, global_name: user.username };
      this.dispatch('INTERACTION_CREATE', {
        id,
        token,
        type,
        application_id: this.applicationId,
        channel_id: dmId,
        channel: { id: dmId, type: 1, recipients: [u] },
        user: u,
        data,
        version: 1,
        app_permissions: '2199023255551',
        locale: 'en-US',
        entitlements: [],
        authorizing_integration_owners: { '0': this.ownerId },
        context: 1,
      });
      return { id, token };
    }
    const channelId = extra.channelId ?? this.channelId;
    this.dispatch('INTERACTION_CREATE', {
      id,
      token,
      type,
      application_id: this.applicationId,
      guild_id: this.guildOf(channelId),
      channel_id: channelId,
      channel: { id: channelId, type: 0, guild_id: this.guildOf(channelId), name: 'interview-prep' },
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
      authorizing_integration_owners: { '0': this.guildOf(channelId) },
      context: 0,
    });
    return { id, token };
  }

  /**
   * Command hints in what the bot sent that name a command or subcommand this application does
   * not have on Discord ("/quiz reveal", "/quizadmin frobnicate"): Discord users cannot type them.
   */
  commandHintViolations(): string[] {
    const texts: string[] = [];
    const collect = (b: any): void => {
      if (!b || typeof b !== 'object') return;
      if (typeof b.content === 'string') texts.push(b.content);
      for (const e of b.embeds ?? []) {
        for (const t of [e.title, e.description, e.footer?.text, ...(e.fields ?? []).map((f: any) => f.value)]) if (typeof t === 'string') texts.push(t);
      }
      if (b.data) collect(b.data);
    };
    for (const c of this.calls) if (c.method === 'POST' || c.method === 'PATCH') collect(c.body);
    const commands = new Map(COMMAND_DEFINITIONS.map((c) => [c.name, (c.options ?? []).filter((o: any) => o.type === 1).map((o: any) => o.name as string)]));
    const out: string[] = [];
    for (const t of texts) {
      for (const m of t.matchAll(/(?:^|[\s(`“"'*_])\/([a-z][\w-]*)(?: ([a-z][\w-]*))?/g)) {
        const [, name, next] = m as unknown as [string, string, string | undefined];
        const subs = commands.get(name);
        if (subs === undefined) out.push(`/${name} (no such command): ${t.slice(0, 80)}`);
        else if (subs.length && !(next && subs.includes(next))) out.push(`/${name} ${next ?? ''} (no such subcommand): ${t.slice(0, 80)}`);
        else if (name === 'quiz' && next && QUIZ_VERBS.has(next)) out.push(`/quiz ${next} (a Slack/console verb, not a Discord command): ${t.slice(0, 80)}`);
      }
    }
    return out;
  }

  /** Interactions answered (their initial callback): a second one is refused, as on Discord. */
  private readonly acknowledged = new Set<string>();

  callbacks(interactionId: string): RestCall[] {
    return this.calls.filter((c) => c.path.includes(`/interactions/${interactionId}/`));
  }

  /** Messages the bot posted to a channel or thread, oldest first. */
  posted(channelId: string): any[] {
    return this.calls.filter((c) => c.method === 'POST' && c.path === `/api/v10/channels/${channelId}/messages`).map((c) => c.body);
  }

  async waitFor<T>(what: string, fn: () => T | undefined | null | false, timeoutMs = budget(10_000)): Promise<T> {
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
        shards: this.opts.recommendedShards ?? 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      });
    }
    if ((m = /^\/api\/v10\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path))) {
      const bad = checkCallback(body);
      if (bad.length) return reject(bad);
      // As Discord: an interaction is answered once; a second callback is refused.
      if (this.acknowledged.has(m[1]!)) {
        this.rejected.push({ method, path, violations: [{ path: 'interaction', message: 'already acknowledged' }] });
        return json(400, { code: 40060, message: 'Interaction has already been acknowledged.' });
      }
      this.acknowledged.add(m[1]!);
      if (body?.data) this.recordPings(this.channelId, body.data);
      res.writeHead(204);
      return void res.end();
    }
    if ((m = /^\/api\/v10\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(@original|\d+))?$/.exec(path))) {
      if (m[1] !== this.applicationId) return json(404, { code: 10015, message: 'Unknown Webhook' });
      const bad = checkMessage(body ?? {}, { edit: method === 'PATCH' });
      if (bad.length) return reject(bad);
      this.recordPings(this.channelId, body);
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
        guild_id: this.guildOf(m[1]!),
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
      this.threads.set(m[2]!, thread);
      this.channelGuild.set(m[2]!, this.guildOf(m[1]!));
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
      if (!this.channelGuild.has(m[1]!)) return json(404, { code: 10003, message: 'Unknown Channel' });
      if (this.denyPosts.has(m[1]!)) return json(403, { code: 50013, message: 'Missing Permissions' });
      // As Discord: a thread a moderator locked refuses the bot's messages (no Manage Threads).
      if (this.threads.get(m[1]!)?.thread_metadata?.locked) return json(403, { code: 160005, message: 'Thread is locked.' });
      const key = body?.enforce_nonce && body.nonce ? `${m[1]}:${body.nonce}` : null;
      if (key && this.nonces.has(key)) return json(200, this.nonces.get(key));
      const created = this.botMessage(m[1]!, body ?? {});
      this.recordPings(m[1]!, body);
      if (key) this.nonces.set(key, created);
      return json(200, created);
    }
    if ((m = /^\/api\/v10\/channels\/(\d+)$/.exec(path)) && method === 'GET') {
      if (!this.channelGuild.has(m[1]!)) return json(404, { code: 10003, message: 'Unknown Channel' });
      return json(200, { id: m[1], type: 0, guild_id: this.guildOf(m[1]!), name: 'channel', permission_overwrites: [] });
    }
    if ((m = /^\/api\/v10\/users\/@me\/channels$/.exec(path))) {
      const dm = snowflake();
      this.channelGuild.set(dm, null);
      return json(200, { id: dm, type: 1, recipients: [{ id: body?.recipient_id, username: 'owner', discriminator: '0' }] });
    }
    if (method === 'GET' && path === '/api/v10/users/@me') {
      return json(200, { ...this.botUser, discriminator: '0', avatar: null, global_name: null });
    }
    if (method === 'GET' && (m = /^\/api\/v10\/guilds\/(\d+)$/.exec(path))) {
      if (!this.guilds.has(m[1]!)) return json(404, { code: 10004, message: 'Unknown Guild' });
      return json(200, this.guild(m[1]));
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
    if ((method === 'PUT' || method === 'DELETE') && (m = /^\/api\/v10\/guilds\/(\d+)\/members\/(\d+)\/roles\/(\d+)$/.exec(path))) {
      if (this.denyRoles) return json(403, { code: 50013, message: 'Missing Permissions' });
      if (!this.roles.get(m[1]!)?.has(m[3]!)) return json(404, { code: 10011, message: 'Unknown Role' });
      const k = `${m[1]}:${m[2]}`;
      const set = this.memberRoles.get(k) ?? new Set<string>();
      if (method === 'PUT') set.add(m[3]!);
      else set.delete(m[3]!);
      this.memberRoles.set(k, set);
      res.writeHead(204);
      return void res.end();
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
