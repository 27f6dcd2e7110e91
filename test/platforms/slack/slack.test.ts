/**
 * The Slack adapter end to end, in Socket Mode and in HTTP mode: the real @slack/bolt App,
 * started through quizbot's own start-up path (startPlatforms), against the fake Slack in
 * test/fakes/slack.ts. Only SLACK_API_URL differs from production.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/app.js';
import { QuestionBank } from '../../../src/content/bank.js';
import { loadBank } from '../../../src/content/loader.js';
import { loadConfig } from '../../../src/config/env.js';
import { silentLogger } from '../../../src/core/ports.js';
import type { ChannelRef } from '../../../src/core/types.js';
import { startPlatforms } from '../../../src/main.js';
import { FakeSlack } from '../../fakes/slack.js';
import { longAnswerQuestion } from '../../helpers/core.js';
import { newNamespace, redisUrl, testRedisHandle } from '../../helpers/redis.js';

const SECRET = 'test-signing-secret';
const CHANNEL = 'C0QUIZ';
const GOOD = 'The CAP theorem: during a network partition a distributed system must choose consistency or availability; partition tolerance is a must. ZooKeeper is CP, Cassandra is AP.';
const PARTIAL = 'It is about consistency and availability when the network splits, you pick one.';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
  cleanup = [];
});

const longQuestion = longAnswerQuestion(1500);

type Mode = 'socket' | 'http';

interface Ctx {
  fake: FakeSlack;
  app: App;
  channel: ChannelRef;
  event(event: Record<string, unknown>, eventId?: string, retry?: number): Promise<void>;
  command(user: string, text: string): Promise<void>;
  interactive(payload: Record<string, unknown>): Promise<void>;
  url: string | null;
}

async function setup(mode: Mode): Promise<Ctx> {
  const fake = new FakeSlack();
  await fake.start();
  for (const [id, name, admin] of [['UALICE', 'alice', false], ['UBOB', 'bob', false], ['UCAROL', 'carol', false], ['UADMIN', 'admin', true]] as const) fake.users.set(id, { id, name, is_admin: admin });
  const env: Record<string, string> =
    mode === 'socket'
      ? { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: fake.apiUrl }
      : { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, PORT: '0' };
  const redis = testRedisHandle();
  const app = await createApp({
    config: loadConfig({ REDIS_URL: redisUrl(), REDIS_PREFIX: newNamespace('sl'), ...env }),
    logger: silentLogger,
    bank: new QuestionBank([...(await loadBank()).all(), longQuestion]),
    redis,
  });
  const handles = await startPlatforms(app);
  expect(handles.names).toEqual(['slack']);
  // Reversed on teardown: the app (and its client) closes before the fake goes away.
  cleanup.push(
    () => redis.close(),
    () => fake.stop(),
    () => app.close(),
  );
  const url = handles.slack!.url;
  const ok = (r: { status: number }) => expect(r.status).toBe(200);
  return {
    fake,
    app,
    url,
    channel: { platform: 'slack', serverId: fake.teamId, channelId: CHANNEL },
    async event(event, eventId, retry = 0) {
      const body = fake.eventCallback(event, eventId);
      if (mode === 'socket') await fake.envelope('events_api', body, retry);
      else ok(await fake.http(url!, JSON.stringify(body), 'application/json', SECRET, { retryNum: retry }));
    },
    async command(user, text) {
      const body = fake.command(CHANNEL, user, text);
      if (mode === 'socket') await fake.envelope('slash_commands', body);
      else ok(await fake.http(url!, new URLSearchParams(body).toString(), 'application/x-www-form-urlencoded', SECRET));
    },
    async interactive(payload) {
      if (mode === 'socket') await fake.envelope('interactive', payload);
      else ok(await fake.http(url!, `payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded', SECRET));
    },
  };
}

async function until(fn: () => Promise<boolean> | boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const reply = (user: string, thread: string, text: string, ts: string) => ({ type: 'message', channel: CHANNEL, user, text, ts, thread_ts: thread, parent_user_id: 'U0BOT', event_ts: ts, channel_type: 'channel' });

describe.each(['socket', 'http'] as const)('Slack adapter, %s mode (real Bolt against a fake Slack)', (mode) => {
  it('GIVEN a scheduled round THEN Block Kit post, thread replies (one edited, one late), reveal in the thread and /quiz leaderboard in order', async () => {
    const t = await setup(mode);
    const { round } = await t.app.quiz.startRound(t.channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 10, 23, 9), topic: 'cap', revealAt: Date.now() + 3_600_000 });
    const post = t.fake.callsTo('chat.postMessage')[0]!;
    expect(post.args.channel).toBe(CHANNEL);
    expect(post.args.blocks[0].text.text).toBe('📌 Question of the day: The CAP theorem');
    expect(JSON.stringify(post.args.blocks)).toContain('<!date^');
    const button = post.args.blocks.find((b: { type: string }) => b.type === 'actions').elements[0];
    expect(button).toMatchObject({ action_id: 'qb_answer', value: round.id });
    const thread = (await t.app.store.getRound(round.id))!.threadRef!;

    await t.event(reply('UALICE', thread, GOOD, t.fake.nextTs()));
    const bobTs = t.fake.nextTs();
    await t.event(reply('UBOB', thread, 'no idea', bobTs));
    await t.event({ type: 'message', subtype: 'message_changed', channel: CHANNEL, ts: t.fake.nextTs(), event_ts: t.fake.nextTs(), message: { type: 'message', user: 'UBOB', text: PARTIAL, ts: bobTs, thread_ts: thread, edited: { user: 'UBOB', ts: t.fake.nextTs() } } });
    await until(async () => (await t.app.store.answers(round.id)).some((a) => a.text === PARTIAL));
    await t.app.quiz.reveal(round.id);
    await t.event(reply('UCAROL', thread, GOOD, t.fake.nextTs())); // after the reveal
    await new Promise((r) => setTimeout(r, 200));
    expect((await t.app.store.answers(round.id)).map((a) => a.member.name).sort()).toEqual(['alice', 'bob']);
    const reveal = t.fake.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === thread);
    expect(reveal.length).toBeGreaterThanOrEqual(1);
    const revealText = JSON.stringify(reveal.map((c) => c.args.blocks));
    expect(revealText).toMatch(/\*alice\*: \d+ pts/);

    await t.command('UCAROL', 'leaderboard week');
    const board = await t.fake.waitFor('board', () => t.fake.responses.find((r) => /Leaderboard/.test(r.body.text)));
    expect(board.body.response_type).toBe('in_channel');
    expect(board.body.text.indexOf('alice')).toBeLessThan(board.body.text.indexOf('bob'));
    expect(board.body.text.indexOf('bob')).toBeGreaterThan(0);
  }, 30_000);

  it('GIVEN /quiz cap THEN the CAP question is posted and the caller gets an ephemeral confirmation', async () => {
    const t = await setup(mode);
    await t.command('UALICE', 'cap');
    const post = await t.fake.waitFor('post', () => t.fake.callsTo('chat.postMessage')[0]);
    expect(post.args.blocks[0].text.text).toBe('🧪 Practice: The CAP theorem');
    const ack = await t.fake.waitFor('response', () => t.fake.responses[0]);
    expect(ack.body).toMatchObject({ response_type: 'ephemeral' });
    await t.command('UALICE', 'help');
    const help = await t.fake.waitFor('help', () => t.fake.responses.find((r) => /inside threads/.test(r.body.text)));
    expect(help.body.response_type).toBe('ephemeral');
  }, 30_000);

  it('GIVEN the private-answer button THEN a modal collects a hidden answer; at the reveal it is shown with mentions made inert', async () => {
    const t = await setup(mode);
    const { round } = await t.app.quiz.startRound(t.channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 10, 24, 9), topic: 'acid', revealAt: null });
    const base = { api_app_id: t.fake.appId, token: 'legacy', team: { id: t.fake.teamId, domain: 'study' }, user: { id: 'UALICE', username: 'alice', team_id: t.fake.teamId } };
    await t.interactive({ ...base, type: 'block_actions', trigger_id: 'trig-1', channel: { id: CHANNEL, name: 'quiz' }, container: { type: 'message', channel_id: CHANNEL, message_ts: '1.1' }, response_url: `${t.fake.url}/response/btn`, actions: [{ type: 'button', action_id: 'qb_answer', block_id: 'b', value: round.id, action_ts: '1.2' }] });
    const open = await t.fake.waitFor('views.open', () => t.fake.callsTo('views.open')[0]);
    expect(open.args.view.callback_id).toBe('qb_answer_modal');
    const secret = 'Atomicity and isolation. <!channel> <!here> <@UBOB> <!subteam^S123> & friends';
    await t.interactive({ ...base, type: 'view_submission', trigger_id: 'trig-2', view: { id: 'V1', hash: 'h1', type: 'modal', callback_id: 'qb_answer_modal', private_metadata: open.args.view.private_metadata, team_id: t.fake.teamId, state: { values: { answer: { text: { type: 'plain_text_input', value: secret } } } } } });
    await t.fake.waitFor('ephemeral ack', () => t.fake.callsTo('chat.postEphemeral')[0]);
    expect(await t.app.store.answers(round.id)).toEqual([expect.objectContaining({ private: true, text: secret })]);
    expect(JSON.stringify(t.fake.callsTo('chat.postMessage'))).not.toContain('Atomicity and isolation');
    await t.app.quiz.reveal(round.id);
    const text = JSON.stringify(t.fake.callsTo('chat.postMessage').map((c) => c.args));
    expect(text).toContain('&lt;!channel&gt; &lt;!here&gt; &lt;@UBOB&gt; &lt;!subteam^S123&gt; &amp; friends');
    expect(text).not.toMatch(/<!channel>|<!here>|<@UBOB>|<!subteam/);
  }, 30_000);

  it('GIVEN the same event delivered three times THEN the answer counts once', async () => {
    const t = await setup(mode);
    const { round } = await t.app.quiz.startRound(t.channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 10, 25, 9), topic: 'cap', revealAt: null });
    const thread = (await t.app.store.getRound(round.id))!.threadRef!;
    const ev = reply('UALICE', thread, GOOD, t.fake.nextTs());
    for (let i = 0; i < 3; i++) await t.event(ev, 'EvSAME', i);
    await until(async () => (await t.app.store.answers(round.id)).length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(await t.app.store.answers(round.id)).toHaveLength(1);
    const view = await t.app.quiz.reveal(round.id);
    expect(view.feedback).toHaveLength(1);
  }, 30_000);

  it('GIVEN a 429 on chat.postMessage THEN it is retried after Retry-After and posts once; a long answer is split within the limits', async () => {
    const t = await setup(mode);
    t.fake.rateLimit.set('chat.postMessage', 1);
    const { round } = await t.app.quiz.startRound(t.channel, { mode: 'practice', topic: 'long-answer' });
    expect(t.fake.callsTo('chat.postMessage#429')).toHaveLength(1);
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(1);
    await t.app.quiz.reveal(round.id);
    const msgs = t.fake.callsTo('chat.postMessage').slice(1);
    expect(msgs.length).toBeGreaterThan(1);
    for (const m of msgs) {
      expect(m.args.blocks.length).toBeLessThanOrEqual(50);
      for (const b of m.args.blocks) if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(3000);
    }
    const all = JSON.stringify(msgs.map((m) => m.args.blocks));
    expect(all).toContain('Paragraph 0:');
    expect(all).toContain('Paragraph 1499:');
  }, 30_000);

  it('GIVEN admin verbs THEN only workspace admins (or configured users) may use them', async () => {
    const t = await setup(mode);
    await t.command('UALICE', 'pause');
    await t.fake.waitFor('refusal', () => t.fake.responses.find((r) => /Only server admins/.test(r.body.text)));
    await t.command('UADMIN', 'schedule set 0 9 * * 1-5 Europe/Berlin 8h');
    const saved = await t.fake.waitFor('saved', () => t.fake.responses.find((r) => /Schedule saved/.test(r.body.text)));
    expect(saved.body.response_type).toBe('in_channel');
  }, 30_000);
});

describe('Slack HTTP mode request verification', () => {
  it('GIVEN a forged signature or a 6-minute-old timestamp THEN Bolt rejects the request and nothing is recorded', async () => {
    const t = await setup('http');
    const body = JSON.stringify(t.fake.eventCallback({ type: 'message', channel: CHANNEL, user: 'UALICE', text: 'x', ts: '1.1', thread_ts: '1.0' }));
    expect((await t.fake.http(t.url!, body, 'application/json', SECRET, { forge: true })).status).toBe(401);
    expect((await t.fake.http(t.url!, body, 'application/json', SECRET, { ageSeconds: 360 })).status).toBe(401);
    expect(t.fake.callsTo('users.info')).toHaveLength(0);
  }, 30_000);
});

describe('Slack app manifest', () => {
  it('GIVEN slack-app-manifest.yaml THEN it declares what the adapter uses: /quiz, message and reaction events, interactivity, scopes', async () => {
    const { readFile } = await import('node:fs/promises');
    const { parse } = await import('yaml');
    const { SCOPES } = await import('../../../src/platforms/slack/adapter.js');
    const m = parse(await readFile(new URL('../../../slack-app-manifest.yaml', import.meta.url), 'utf8')) as Record<string, any>;
    expect(m.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/quiz']);
    expect(m.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining(['message.channels', 'message.groups', 'reaction_added', 'reaction_removed']));
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect([...m.oauth_config.scopes.bot].sort()).toEqual([...SCOPES].sort());
  });
});

describe('Slack HTTP mode with OAuth installs', () => {
  it('GIVEN an installation stored in Redis THEN posts use that workspace\'s bot token, and /slack/install starts the OAuth flow', async () => {
    const { RedisInstallationStore } = await import('../../../src/store/slack-installations.js');
    const fake = new FakeSlack();
    await fake.start();
    const prefix = newNamespace('oauth');
    const redis = testRedisHandle();
    const store = new RedisInstallationStore(redis.connect(), prefix);
    await store.storeInstallation({
      team: { id: fake.teamId, name: 'Study' },
      enterprise: undefined,
      user: { id: 'UADMIN', token: undefined, scopes: undefined },
      bot: { id: 'B0BOT', userId: fake.botUserId, token: 'xoxb-installed', scopes: ['chat:write'] },
      isEnterpriseInstall: false,
    });
    const app = await createApp({
      config: loadConfig({
        REDIS_URL: redisUrl(),
        REDIS_PREFIX: prefix,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_CLIENT_ID: '123.456',
        SLACK_CLIENT_SECRET: 'client-secret',
        SLACK_STATE_SECRET: 'state-secret',
        SLACK_API_URL: fake.apiUrl,
        PORT: '0',
      }),
      logger: silentLogger,
      redis,
    });
    cleanup.push(
      () => redis.close(),
      () => fake.stop(),
      () => app.close(),
    );
    const handles = await startPlatforms(app);
    await app.quiz.startRound({ platform: 'slack', serverId: fake.teamId, channelId: CHANNEL }, { mode: 'practice', topic: 'cap' });
    expect(fake.callsTo('chat.postMessage')[0]!.token).toBe('Bearer xoxb-installed');
    const res = await fetch(`${handles.slack!.url}/slack/install`, { redirect: 'manual' });
    expect([200, 302]).toContain(res.status);
    const where = res.headers.get('location') ?? (await res.text());
    expect(where).toContain('slack.com/oauth/v2/authorize');
    expect(where).toContain('client_id=123.456');
  }, 30_000);
});
