/**
 * A small fake Slack: the Web API (`/api/<method>`), Socket Mode (WebSocket at `/link`) and a
 * signer for the Events API, on 127.0.0.1. It records every Web API call so tests assert on what
 * the bot sent. Recipes: ../shared/PLATFORM-TESTING.md.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { budget } from '../helpers/wait.js';

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

export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: any[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  edited?: boolean;
  /** A member's message (delivered as an event); bot messages have none. */
  user?: string;
}

/** Slack's documented (and, for the 12,000 total, observed) limits on a message's blocks. */
export const SLACK_LIMITS = {
  blocks: 50,
  modalBlocks: 100,
  section: 3000,
  header: 150,
  totalText: 12_000,
  text: 40_000,
  modalTitle: 24,
  buttonText: 75,
  actionsElements: 25,
  contextElements: 10,
} as const;

/** Characters of text in blocks (every `text` string, nested), as the total limit counts them. */
export function blocksText(blocks: any[]): number {
  let n = 0;
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      for (const [k, v] of Object.entries(x)) {
        if (k === 'text' && typeof v === 'string') n += v.length;
        else walk(v);
      }
    }
  };
  walk(blocks);
  return n;
}

/** Null when Slack would accept the blocks; else the error Slack answers with. */
export function checkBlocks(blocks: unknown, maxBlocks: number = SLACK_LIMITS.blocks): { error: string; detail: string } | null {
  if (blocks === undefined) return null;
  if (!Array.isArray(blocks)) return { error: 'invalid_blocks_format', detail: 'blocks must be an array' };
  if (blocks.length > maxBlocks) return { error: 'invalid_blocks', detail: `must provide no more than ${maxBlocks} items` };
  for (const [i, b] of blocks.entries()) {
    if (b.type === 'section' && b.text && (b.text.text?.length ?? 0) > SLACK_LIMITS.section)
      return { error: 'invalid_blocks', detail: `[${i}].text must be less than ${SLACK_LIMITS.section + 1} characters` };
    if (b.type === 'section' && !b.text && !b.fields) return { error: 'invalid_blocks', detail: `[${i}] section needs text or fields` };
    if (b.type === 'header' && ((b.text?.text?.length ?? 0) > SLACK_LIMITS.header || b.text?.type !== 'plain_text'))
      return { error: 'invalid_blocks', detail: `[${i}].text must be plain_text of at most ${SLACK_LIMITS.header} characters` };
    if (b.type === 'context' && (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > SLACK_LIMITS.contextElements))
      return { error: 'invalid_blocks', detail: `[${i}].elements` };
    if (b.type === 'input') {
      const el = b.element ?? {};
      if (b.label?.type !== 'plain_text' || (b.label.text?.length ?? 0) > 2000)
        return { error: 'invalid_blocks', detail: `[${i}].label must be plain_text of at most 2000 characters` };
      if (b.hint && (b.hint.type !== 'plain_text' || (b.hint.text?.length ?? 0) > 2000))
        return { error: 'invalid_blocks', detail: `[${i}].hint must be plain_text of at most 2000 characters` };
      if (el.type === 'plain_text_input' && ((el.max_length ?? 0) > 3000 || (el.min_length ?? 0) > 3000 || (el.min_length ?? 0) > (el.max_length ?? 3000)))
        return { error: 'invalid_blocks', detail: `[${i}].element: min_length and max_length must be at most 3000` };
    }
    if (b.type === 'actions') {
      if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > SLACK_LIMITS.actionsElements)
        return { error: 'invalid_blocks', detail: `[${i}].elements` };
      const ids = new Set<string>();
      for (const e of b.elements) {
        if (e.type === 'button' && ((e.text?.text?.length ?? 0) > SLACK_LIMITS.buttonText || (e.value?.length ?? 0) > 2000))
          return { error: 'invalid_blocks', detail: `[${i}] button text/value too long` };
        if (e.action_id && ids.has(e.action_id)) return { error: 'invalid_blocks', detail: `[${i}] action_id ${e.action_id} is not unique` };
        if (e.action_id) ids.add(e.action_id);
      }
    }
  }
  if (blocksText(blocks) > SLACK_LIMITS.totalText) return { error: 'msg_blocks_too_long', detail: `blocks hold ${blocksText(blocks)} characters of text` };
  return null;
}

export class FakeSlack {
  readonly teamId = 'T0TEAM';
  readonly appId = 'A0APP';
  readonly botUserId = 'U0BOT';
  readonly calls: ApiCall[] = [];
  readonly responses: { path: string; body: any }[] = [];
  readonly users = new Map<string, SlackUserInfo>();
  /** Method → number of upcoming calls answered with 429 (Retry-After: retryAfter, default 1 s). */
  readonly rateLimit = new Map<string, number>();
  /** The Retry-After (seconds) those 429s carry. */
  retryAfter = 1;
  /** Channels the bot is not a member of: posting there fails with not_in_channel. */
  readonly notInChannel = new Set<string>();
  /** Messages the bot posted (and their later updates), by `<channel>:<ts>`. */
  readonly messages = new Map<string, StoredMessage>();
  /** Reactions the bot added: `<channel>:<ts>:<name>`. */
  readonly botReactions: string[] = [];
  /** User groups (id → member ids), for usergroups.users.list / update. */
  readonly usergroups = new Map<string, Set<string>>();
  /** Who each bot message would have notified: special mentions in its text and mrkdwn. */
  readonly pings: { channel: string; mentions: string[] }[] = [];

  private recordPings(args: Record<string, any>): void {
    const texts: string[] = [];
    if (typeof args.text === 'string') texts.push(args.text);
    const walk = (x: unknown): void => {
      if (Array.isArray(x)) x.forEach(walk);
      else if (x && typeof x === 'object') {
        const o = x as Record<string, unknown>;
        if (o.type === 'mrkdwn' && typeof o.text === 'string') texts.push(o.text);
        for (const v of Object.values(o)) walk(v);
      }
    };
    walk(args.blocks);
    const mentions = new Set<string>();
    for (const t of texts) for (const m of t.matchAll(/<(!subteam\^[A-Z0-9]+|!channel|!here|!everyone|@[UW][A-Z0-9]+)(?:\|[^>]*)?>/g)) mentions.add(m[1]!);
    if (mentions.size) this.pings.push({ channel: args.channel, mentions: [...mentions] });
  }
  /** Every call Slack would have refused, with the error Slack answers. */
  readonly rejected: { method: string; error: string; detail?: string }[] = [];
  url = '';
  private server: Server | null = null;
  private wss: WebSocketServer | null = null;
  private socket: WebSocket | null = null;
  /** Message timestamps are epoch seconds, as on Slack (each new one a second later, so they stay unique). */
  private ts = Math.floor(Date.now() / 1000);
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
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
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

  async waitFor<T>(what: string, fn: () => T | undefined | null | false, timeoutMs = budget(10_000)): Promise<T> {
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
    this.socket!.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        accepts_response_payload: type !== 'events_api',
        retry_attempt: retryAttempt,
        retry_reason: retryAttempt ? 'timeout' : '',
        payload,
      }),
    );
    return acked;
  }

  /** HTTP mode: POSTs like Slack does, signed with the secret (or forged / stale). */
  async http(
    appUrl: string,
    body: string,
    contentType: string,
    secret: string,
    opts: { ageSeconds?: number; forge?: boolean; retryNum?: number } = {},
  ): Promise<{ status: number; text: string }> {
    const ts = Math.floor(Date.now() / 1000) - (opts.ageSeconds ?? 0);
    const sig =
      'v0=' +
      createHmac('sha256', opts.forge ? 'not-the-secret' : secret)
        .update(`v0:${ts}:${body}`)
        .digest('hex');
    const headers: Record<string, string> = { 'Content-Type': contentType, 'X-Slack-Request-Timestamp': String(ts), 'X-Slack-Signature': sig };
    if (opts.retryNum) headers['X-Slack-Retry-Num'] = String(opts.retryNum);
    const res = await fetch(`${appUrl}/slack/events`, { method: 'POST', headers, body });
    return { status: res.status, text: await res.text() };
  }

  eventCallback(event: Record<string, unknown>, eventId = `Ev${randomUUID().slice(0, 8)}`): Record<string, unknown> {
    // A member's message is in the channel's history from then on (conversations.history/replies).
    if (event.type === 'message' && !event.subtype && typeof event.ts === 'string' && typeof event.channel === 'string' && typeof event.user === 'string') {
      this.messages.set(`${event.channel}:${event.ts}`, {
        channel: event.channel,
        ts: event.ts,
        user: event.user,
        ...(typeof event.text === 'string' ? { text: event.text } : {}),
        ...(typeof event.thread_ts === 'string' ? { thread_ts: event.thread_ts } : {}),
      });
    }
    return {
      token: 'legacy',
      team_id: this.teamId,
      api_app_id: this.appId,
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      event,
      authorizations: [{ team_id: this.teamId, user_id: this.botUserId, is_bot: true }],
    };
  }

  /** A thread reply as the Events API sends it; `subtype` for "also send to channel" or a file. */
  reply(
    channel: string,
    user: string,
    threadTs: string,
    text: string,
    opts: { ts?: string; subtype?: 'thread_broadcast' | 'file_share' } = {},
  ): Record<string, unknown> {
    const ts = opts.ts ?? this.nextTs();
    return {
      type: 'message',
      ...(opts.subtype ? { subtype: opts.subtype } : {}),
      channel,
      user,
      text,
      ts,
      thread_ts: threadTs,
      parent_user_id: this.botUserId,
      event_ts: ts,
      channel_type: 'channel',
      ...(opts.subtype === 'file_share' ? { files: [{ id: 'F1', name: 'diagram.png', mimetype: 'image/png' }], upload: false } : {}),
      ...(opts.subtype === 'thread_broadcast' ? { root: { ts: threadTs, user: this.botUserId } } : {}),
    };
  }

  /** message_changed: an edit (with `edited`) or, without it, an unfurl/attachment update. */
  changed(channel: string, original: { user: string; ts: string; thread_ts: string; text: string }, opts: { edit: boolean }): Record<string, unknown> {
    const now = this.nextTs();
    return {
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      channel,
      ts: now,
      event_ts: now,
      message: {
        type: 'message',
        user: original.user,
        text: original.text,
        ts: original.ts,
        thread_ts: original.thread_ts,
        ...(opts.edit
          ? { edited: { user: original.user, ts: now } }
          : { attachments: [{ from_url: 'https://example.com/', title: 'Example', fallback: 'Example' }] }),
      },
      previous_message: { type: 'message', user: original.user, text: original.text, ts: original.ts, thread_ts: original.thread_ts },
    };
  }

  reaction(user: string, name: string, channel: string, ts: string, itemUser: string, added = true): Record<string, unknown> {
    const now = this.nextTs();
    return {
      type: added ? 'reaction_added' : 'reaction_removed',
      user,
      reaction: name,
      item_user: itemUser,
      item: { type: 'message', channel, ts },
      event_ts: now,
    };
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
      const body = JSON.parse(raw || '{}');
      const bad = checkBlocks(body.blocks);
      if (bad) {
        this.rejected.push({ method: 'response_url', error: bad.error, detail: bad.detail });
        return json(400, { ok: false, error: bad.error });
      }
      this.recordPings({ channel: `response:${path}`, ...body });
      this.responses.push({ path, body });
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
      return json(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': String(this.retryAfter) });
    }
    this.calls.push({ method, args, token: req.headers.authorization });
    const fail = (error: string, detail?: string) => {
      this.rejected.push({ method, error, ...(detail ? { detail } : {}) });
      return json(200, { ok: false, error, ...(detail ? { response_metadata: { messages: [`[ERROR] ${detail}`] } } : {}) });
    };
    /** True when the call was refused (the response is sent). */
    const refused = (): boolean => {
      const bad = checkBlocks(args.blocks);
      const error = !args.channel
        ? 'channel_not_found'
        : !args.text && !args.blocks
          ? 'no_text'
          : typeof args.text === 'string' && args.text.length > SLACK_LIMITS.text
            ? 'msg_too_long'
            : bad
              ? bad.error
              : this.notInChannel.has(args.channel)
                ? 'not_in_channel'
                : null;
      if (error) fail(error, bad?.detail);
      return error !== null;
    };
    switch (method) {
      case 'auth.test':
        return json(200, {
          ok: true,
          url: 'https://study.slack.com/',
          team: 'Study',
          user: 'quizbot',
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: 'B0BOT',
          is_enterprise_install: false,
        });
      case 'apps.connections.open':
        return json(200, { ok: true, url: `${this.url.replace('http', 'ws')}/link` });
      case 'chat.postMessage': {
        if (refused()) return;
        this.recordPings(args);
        const ts = this.nextTs();
        this.messages.set(`${args.channel}:${ts}`, {
          channel: args.channel,
          ts,
          ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}),
          text: args.text,
          blocks: args.blocks,
          ...(args.metadata ? { metadata: args.metadata } : {}),
        });
        return json(200, { ok: true, channel: args.channel, ts, message: { text: args.text } });
      }
      case 'chat.update': {
        if (refused()) return;
        const msg = this.messages.get(`${args.channel}:${args.ts}`);
        if (!msg) return fail('message_not_found');
        Object.assign(msg, { text: args.text, blocks: args.blocks, edited: true });
        return json(200, { ok: true, channel: args.channel, ts: args.ts });
      }
      case 'chat.postEphemeral': {
        if (!args.user) return fail('user_not_in_channel');
        if (refused()) return;
        return json(200, { ok: true, message_ts: this.nextTs() });
      }
      case 'conversations.history':
      case 'conversations.replies': {
        if (!args.channel) return fail('channel_not_found');
        if (method === 'conversations.replies' && !args.ts) return fail('thread_not_found');
        // As Slack: `oldest` leaves out messages at or before that timestamp.
        const oldest = args.oldest !== undefined ? Number(args.oldest) : -Infinity;
        const all = [...this.messages.values()].filter((m) => m.channel === args.channel && Number(m.ts) > oldest);
        const list =
          method === 'conversations.history' ? all.filter((m) => !m.thread_ts).reverse() : all.filter((m) => m.ts === args.ts || m.thread_ts === args.ts);
        const withMeta = String(args.include_all_metadata) === 'true';
        // Slack caps a page at 1,000 (replies) / 999 (history) and pages with a cursor.
        const limit = Math.min(Number(args.limit ?? 100), 1000);
        const from = args.cursor ? Number(Buffer.from(String(args.cursor), 'base64').toString()) : 0;
        const more = from + limit < list.length;
        return json(200, {
          ok: true,
          ...(more ? { response_metadata: { next_cursor: Buffer.from(String(from + limit)).toString('base64') } } : {}),
          messages: list.slice(from, from + limit).map((m) => ({
            type: 'message',
            ...(m.user ? { user: m.user } : { bot_id: 'B0BOT' }),
            ts: m.ts,
            text: m.text,
            ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
            ...(withMeta && m.metadata ? { metadata: m.metadata } : {}),
          })),
          has_more: more,
        });
      }
      case 'reactions.add': {
        if (!args.channel || !args.timestamp || !args.name) return fail('invalid_arguments');
        const key = `${args.channel}:${args.timestamp}:${args.name}`;
        if (this.botReactions.includes(key)) return fail('already_reacted');
        this.botReactions.push(key);
        return json(200, { ok: true });
      }
      case 'views.open': {
        const view = args.view ?? {};
        if (!args.trigger_id) return fail('invalid_trigger_id');
        if ((view.title?.text?.length ?? 0) > SLACK_LIMITS.modalTitle || view.title?.type !== 'plain_text')
          return fail('invalid_arguments', `view.title must be plain_text of at most ${SLACK_LIMITS.modalTitle} characters`);
        const bad = checkBlocks(view.blocks, SLACK_LIMITS.modalBlocks);
        if (bad) return fail('invalid_arguments', bad.detail);
        return json(200, { ok: true, view: { id: 'V1' } });
      }
      case 'usergroups.users.list': {
        const g = this.usergroups.get(args.usergroup);
        if (!g) return fail('no_such_subteam');
        return json(200, { ok: true, users: [...g] });
      }
      case 'usergroups.users.update': {
        const g = this.usergroups.get(args.usergroup);
        if (!g) return fail('no_such_subteam');
        const users = String(args.users ?? '')
          .split(',')
          .filter(Boolean);
        if (users.length === 0) return fail('invalid_users');
        this.usergroups.set(args.usergroup, new Set(users));
        return json(200, { ok: true, usergroup: { id: args.usergroup, users } });
      }
      case 'users.info': {
        const u: SlackUserInfo = this.users.get(args.user) ?? { id: String(args.user), name: String(args.user) };
        return json(200, {
          ok: true,
          user: {
            id: u.id,
            name: u.name,
            real_name: u.name,
            is_admin: u.is_admin ?? false,
            is_owner: u.is_owner ?? false,
            profile: { display_name: u.name, real_name: u.name },
          },
        });
      }
      default:
        return json(200, { ok: true });
    }
  }
}
