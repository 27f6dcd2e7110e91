/**
 * The Slack adapter end to end, in Socket Mode and in HTTP mode: the real @slack/bolt App,
 * started through quizbot's own start-up path (startPlatforms), against the fake Slack in
 * test/fakes/slack.ts. Only SLACK_API_URL differs from production.
 */
import { RateLimitedError } from '../../../src/core/text/errors.js';
import { afterEach, describe, expect, it } from 'vitest';
import { periodWindow } from '../../../src/core/schedule/periods.js';
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
import { budget } from '../../helpers/wait.js';

const SECRET = 'test-signing-secret';
const CHANNEL = 'C0QUIZ';
const GOOD =
  'The CAP theorem: during a network partition a distributed system must choose consistency or availability; partition tolerance is a must. ZooKeeper is CP, Cassandra is AP.';
const PARTIAL = 'It is about consistency and availability when the network splits, you pick one.';

let cleanup: (() => Promise<void>)[] = [];
let fakes: FakeSlack[] = [];
afterEach(async () => {
  // Strict fakes: whatever Slack would have refused fails the test that sent it.
  const rejected = fakes.flatMap((f) => f.rejected);
  // Nothing quizbot sends may ping anyone but an opted-in notify user group.
  const pings = fakes.flatMap((f) => f.pings).filter((p) => p.mentions.some((m) => !m.startsWith('!subteam^')));
  fakes = [];
  expect(rejected).toEqual([]);
  expect(pings).toEqual([]);
});
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
  /** The app's acknowledgement body of an interactive payload (view_submission response_action). */
  interactiveAck(payload: Record<string, unknown>): Promise<any>;
  url: string | null;
}

async function setup(mode: Mode): Promise<Ctx> {
  const fake = new FakeSlack();
  await fake.start();
  fakes.push(fake);
  for (const [id, name, admin] of [
    ['UALICE', 'alice', false],
    ['UBOB', 'bob', false],
    ['UCAROL', 'carol', false],
    ['UADMIN', 'admin', true],
  ] as const)
    fake.users.set(id, { id, name, is_admin: admin });
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
    async interactiveAck(payload) {
      if (mode === 'socket') return (await fake.envelope('interactive', payload)) ?? null;
      const r = await fake.http(url!, `payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded', SECRET);
      ok(r);
      return r.text ? JSON.parse(r.text) : null;
    },
  };
}

async function until(fn: () => Promise<boolean> | boolean, ms = budget(10_000)) {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const reply = (user: string, thread: string, text: string, ts: string) => ({
  type: 'message',
  channel: CHANNEL,
  user,
  text,
  ts,
  thread_ts: thread,
  parent_user_id: 'U0BOT',
  event_ts: ts,
  channel_type: 'channel',
});

describe.each(['socket', 'http'] as const)('Slack adapter, %s mode (real Bolt against a fake Slack)', (mode) => {
  it('GIVEN a scheduled round THEN Block Kit post, thread replies (one edited, one late), reveal in the thread and /quiz leaderboard in order', async () => {
    const t = await setup(mode);
    const { round } = await t.app.quiz.startRound(t.channel, {
      mode: 'scheduled',
      slotMs: Date.UTC(2026, 10, 23, 9),
      topic: 'cap',
      revealAt: Date.now() + 3_600_000,
    });
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
    await t.event({
      type: 'message',
      subtype: 'message_changed',
      channel: CHANNEL,
      ts: t.fake.nextTs(),
      event_ts: t.fake.nextTs(),
      message: { type: 'message', user: 'UBOB', text: PARTIAL, ts: bobTs, thread_ts: thread, edited: { user: 'UBOB', ts: t.fake.nextTs() } },
    });
    await until(async () => (await t.app.store.answers(round.id)).some((a) => a.text === PARTIAL));
    await t.app.quiz.reveal(round.id);
    await t.event(reply('UCAROL', thread, GOOD, t.fake.nextTs())); // after the reveal
    await until(async () => (await t.app.metrics.value('quizbot_answers_rejected_total', { platform: 'slack', reason: 'closed' })) >= 1);
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

  it('GIVEN a member deletes their answer before the reveal THEN it is withdrawn (message_deleted)', async () => {
    const t = await setup(mode);
    const { round } = await t.app.quiz.startRound(t.channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 10, 25, 9), topic: 'cap', revealAt: null });
    const thread = (await t.app.store.getRound(round.id))!.threadRef!;
    const aliceTs = t.fake.nextTs();
    await t.event(reply('UALICE', thread, GOOD, aliceTs));
    await t.event(reply('UBOB', thread, PARTIAL, t.fake.nextTs()));
    await until(async () => (await t.app.store.answers(round.id)).length === 2);
    // As Slack sends it: hidden, the deleted message's ts, and what it was.
    const now = t.fake.nextTs();
    await t.event({
      type: 'message',
      subtype: 'message_deleted',
      hidden: true,
      channel: CHANNEL,
      ts: now,
      deleted_ts: aliceTs,
      event_ts: now,
      previous_message: { type: 'message', user: 'UALICE', text: GOOD, ts: aliceTs, thread_ts: thread },
    });
    await until(async () => (await t.app.metrics.value('quizbot_answers_withdrawn_total', { platform: 'slack' })) >= 1);
    expect((await t.app.store.answers(round.id)).map((a) => a.member.name)).toEqual(['bob']);
    const view = await t.app.quiz.reveal(round.id);
    expect(view.feedback.map((f) => f.member.name)).toEqual(['bob']);
  }, 30_000);

  it('GIVEN a revealed daily question THEN /quiz history lists it privately with a link to its thread', async () => {
    const t = await setup(mode);
    const { round } = await t.app.quiz.startRound(t.channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 10, 24, 9), topic: 'cap', revealAt: null });
    const thread = (await t.app.store.getRound(round.id))!.threadRef!;
    await t.event(reply('UALICE', thread, GOOD, t.fake.nextTs()));
    await until(async () => (await t.app.store.answers(round.id)).length === 1);
    await t.app.quiz.reveal(round.id);
    await t.command('UBOB', 'history 3');
    const r = await t.fake.waitFor('history', () => t.fake.responses.find((x) => /📚/.test(x.body.text)));
    expect(r.body.response_type).toBe('ephemeral');
    expect(r.body.text).toMatch(/1 answer, average coverage \d+%/);
    expect(r.body.text).toContain(`<https://slack.com/archives/${t.channel.channelId}/p${thread.replace('.', '')}|thread>`);
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
    const base = {
      api_app_id: t.fake.appId,
      token: 'legacy',
      team: { id: t.fake.teamId, domain: 'study' },
      user: { id: 'UALICE', username: 'alice', team_id: t.fake.teamId },
    };
    await t.interactive({
      ...base,
      type: 'block_actions',
      trigger_id: 'trig-1',
      channel: { id: CHANNEL, name: 'quiz' },
      container: { type: 'message', channel_id: CHANNEL, message_ts: '1.1' },
      response_url: `${t.fake.url}/response/btn`,
      actions: [{ type: 'button', action_id: 'qb_answer', block_id: 'b', value: round.id, action_ts: '1.2' }],
    });
    const open = await t.fake.waitFor('views.open', () => t.fake.callsTo('views.open')[0]);
    expect(open.args.view.callback_id).toBe('qb_answer_modal');
    const secret = 'Atomicity and isolation. <!channel> <!here> <@UBOB> <!subteam^S123> & friends';
    await t.interactive({
      ...base,
      type: 'view_submission',
      trigger_id: 'trig-2',
      view: {
        id: 'V1',
        hash: 'h1',
        type: 'modal',
        callback_id: 'qb_answer_modal',
        private_metadata: open.args.view.private_metadata,
        team_id: t.fake.teamId,
        state: { values: { answer: { text: { type: 'plain_text_input', value: secret } } } },
      },
    });
    await t.fake.waitFor('ephemeral ack', () => t.fake.callsTo('chat.postEphemeral')[0]);
    expect(await t.app.store.answers(round.id)).toEqual([expect.objectContaining({ private: true, text: secret })]);
    expect(JSON.stringify(t.fake.callsTo('chat.postMessage'))).not.toContain('Atomicity and isolation');
    await t.app.quiz.reveal(round.id);
    const text = JSON.stringify(t.fake.callsTo('chat.postMessage').map((c) => c.args));
    expect(text).toContain('&lt;!channel&gt; &lt;!here&gt; &lt;@UBOB&gt; &lt;!subteam^S123&gt; &amp; friends');
    expect(text).not.toMatch(/<!channel>|<!here>|<@UBOB>|<!subteam/);
  }, 30_000);

  it('GIVEN quizbot added to a channel, the event arriving twice (two replicas) THEN one welcome there; a member joining is not welcomed', async () => {
    const t = await setup(mode);
    const joined = {
      type: 'member_joined_channel',
      user: t.fake.botUserId,
      channel: CHANNEL,
      channel_type: 'C',
      team: t.fake.teamId,
      inviter: 'UADMIN',
      event_ts: t.fake.nextTs(),
    };
    await t.event(joined, 'EvJOIN1');
    await t.event(joined, 'EvJOIN2');
    await t.event({ ...joined, user: 'UALICE', event_ts: t.fake.nextTs() }, 'EvJOIN3');
    const welcomes = () => t.fake.callsTo('chat.postMessage').filter((c) => String(c.args.text ?? '').includes('Hi, I’m quizbot'));
    await until(async () => welcomes().length > 0);
    // A later event handled after both joins: the positive signal that nothing else is coming.
    const { round } = await t.app.quiz.startRound(t.channel, { mode: 'practice', topic: 'cap' });
    expect(round).toBeTruthy();
    expect(welcomes()).toHaveLength(1);
    expect(String(welcomes()[0]!.args.text)).toContain('/quiz schedule set');
    expect(welcomes()[0]!.args.channel).toBe(CHANNEL);
  }, 30_000);

  it('GIVEN the same event delivered three times THEN the answer counts once', async () => {
    const t = await setup(mode);
    const { round } = await t.app.quiz.startRound(t.channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 10, 25, 9), topic: 'cap', revealAt: null });
    const thread = (await t.app.store.getRound(round.id))!.threadRef!;
    const ev = reply('UALICE', thread, GOOD, t.fake.nextTs());
    for (let i = 0; i < 3; i++) await t.event(ev, 'EvSAME', i);
    // Both signals: the two redeliveries dropped, and the first delivery recorded (they race).
    await until(async () => (await t.app.metrics.value('quizbot_duplicate_events_total', { platform: 'slack' })) >= 2);
    await until(async () => (await t.app.store.answers(round.id)).length > 0);
    expect(await t.app.store.answers(round.id)).toHaveLength(1);
    const view = await t.app.quiz.reveal(round.id);
    expect(view.feedback).toHaveLength(1);
  }, 30_000);

  it('GIVEN a 429 asking to wait 90 s THEN the post is handed back to the job at once (no call outlives the lease), and a later retry posts once', async () => {
    const t = await setup(mode);
    t.fake.rateLimit.set('chat.postMessage', 1);
    t.fake.retryAfter = 90;
    const started = Date.now();
    const { round } = await t.app.quiz.startRound(t.channel, { mode: 'practice', topic: 'cap' }).catch(async (err: unknown) => {
      expect(err).toBeInstanceOf(RateLimitedError);
      expect((err as RateLimitedError).retryAfterMs).toBe(90_000);
      return { round: (await t.app.store.openRounds(t.channel))[0]! };
    });
    expect(Date.now() - started).toBeLessThan(30_000); // not waited out inside the call
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(0);
    // The job's retry, under a fresh lease: posts once.
    await t.app.quiz.post(round.id);
    await t.app.quiz.post(round.id);
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(1);
  }, 60_000);

  it('GIVEN two workers and a Slack that answers the first post with 429 + Retry-After 90 THEN the slot is posted once', async () => {
    const t = await setup(mode);
    // A second worker process: same Redis namespace, same workspace, posting only.
    const redis = testRedisHandle();
    const other = await createApp({
      config: loadConfig({
        REDIS_URL: redisUrl(),
        REDIS_PREFIX: t.app.config.redisPrefix,
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: t.fake.apiUrl,
      }),
      logger: silentLogger,
      redis,
    });
    cleanup.push(
      () => redis.close(),
      () => other.close(),
    );
    await startPlatforms(other, { receive: false });
    t.fake.rateLimit.set('chat.postMessage', 1);
    t.fake.retryAfter = 90;
    const slotMs = Date.UTC(2026, 10, 26, 9);
    // Both workers drive the same slot at once, then each retries (as their jobs would).
    const attempt = (app: App) => app.quiz.startRound(t.channel, { mode: 'scheduled', slotMs, topic: 'cap', revealAt: null }).catch((err: unknown) => err);
    const first = await Promise.all([attempt(t.app), attempt(other)]);
    // One of them met the 429 and handed the post back to its job at once.
    expect(first.filter((r) => r instanceof RateLimitedError)).toHaveLength(1);
    for (let i = 0; i < 3; i++) await Promise.all([attempt(t.app), attempt(other)]);
    expect(t.fake.callsTo('chat.postMessage#429')).toHaveLength(1);
    expect(t.fake.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.args.metadata ?? '').includes('question'))).toHaveLength(1);
    const round = (await t.app.store.getRound((await t.app.store.slotRound(t.channel, slotMs))!))!;
    expect(round.state).toBe('posted');
  }, 60_000);

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

  it('GIVEN a week with answers THEN its recap is posted once in Block Kit, names escaped; a resumed attempt finds it by metadata', async () => {
    const t = await setup(mode);
    await t.app.scheduling.update(t.channel, { cron: '0 9 * * *', timezone: 'UTC' });
    const { round } = await t.app.quiz.startRound(t.channel, { mode: 'scheduled', slotMs: Math.floor(Date.now() / 60_000) * 60_000, topic: 'cap' });
    const sneaky = { id: 'USNEAKY', name: '<!channel> sneaky' };
    await t.app.quiz.recordAnswer({ channel: t.channel, threadRef: null, roundId: round.id, member: sneaky, text: GOOD, deliveryId: 'd1' });
    await t.app.quiz.reveal(round.id);
    const week = periodWindow('week', (await t.app.store.getRound(round.id))!.revealedAt!, 'UTC').key;
    const before = t.fake.callsTo('chat.postMessage').length;
    expect(await t.app.recaps.run(t.channel, 'week', week, 'w1')).toBe('sent');
    const posts = t.fake.callsTo('chat.postMessage').slice(before);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.thread_ts).toBeUndefined();
    expect(posts[0]!.args.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    expect(posts[0]!.args.blocks[0].text.text).toMatch(/^📊 Weekly recap — week of /);
    const body = JSON.stringify(posts[0]!.args.blocks);
    expect(body).toContain('&lt;!channel&gt; sneaky');
    expect(body).not.toContain('<!channel>');
    expect(posts[0]!.args.metadata.event_payload).toMatchObject({ round_id: `recap-week-${week}-${CHANNEL}`, part: 'notice' });
    await t.app.store.setNoticeState({ platform: 'slack', serverId: t.channel.serverId }, `recap-week-${week}-${CHANNEL}`, 'sending', 60_000);
    expect(await t.app.recaps.run(t.channel, 'week', week, 'w2')).toBe('sent');
    expect(t.fake.callsTo('chat.postMessage').slice(before)).toHaveLength(1);
    // The lookup read only recent history, a page the size Slack gives apps outside the Marketplace.
    const lookups = t.fake.callsTo('conversations.history');
    expect(lookups.length).toBeGreaterThan(0);
    for (const l of lookups) {
      expect(Number(l.args.oldest)).toBeGreaterThan(Date.now() / 1000 - 2 * 86_400);
      expect(Number(l.args.limit)).toBeLessThanOrEqual(15);
    }
  });

  it('GIVEN a reminder before the reveal THEN it is posted once in the round’s thread', async () => {
    const t = await setup(mode);
    await t.app.scheduling.update(t.channel, { cron: '0 9 * * *', timezone: 'UTC', reminderMs: 3_600_000 });
    const { round } = await t.app.quiz.startRound(t.channel, {
      mode: 'scheduled',
      slotMs: Date.UTC(2026, 10, 17, 9),
      topic: 'cap',
      revealAt: Date.now() + 3_600_000,
    });
    const thread = (await t.app.store.getRound(round.id))!.threadRef!;
    await t.event(reply('UALICE', thread, GOOD, t.fake.nextTs()));
    await until(async () => (await t.app.store.answers(round.id)).length === 1);
    // A busy thread: Slack returns a thread's replies oldest first, so the reminder sits after them.
    for (let i = 0; i < 20; i++) await t.event(reply(`UMEMBER${i}`, thread, `${GOOD} (${i})`, t.fake.nextTs()));
    await until(async () => (await t.app.store.answers(round.id)).length === 21);
    expect(await t.app.quiz.remind(round.id, 'w1')).toBe('sent');
    expect(await t.app.quiz.remind(round.id, 'w2')).toBe('already-sent');
    // A worker that died after Slack accepted it (state still 'sending'): the retry finds it.
    await t.app.store.setNoticeState({ platform: 'slack', serverId: t.channel.serverId }, `remind-${round.id}`, 'sending', 60_000);
    expect(await t.app.quiz.remind(round.id, 'w3')).toBe('sent');
    const notes = t.fake.callsTo('chat.postMessage').filter((c) => c.args.metadata?.event_payload?.part === 'notice');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.args.thread_ts).toBe(thread);
    expect(notes[0]!.args.blocks[0].text.text).toMatch(/^⏳ (59 min|1 h) left — 21 answers so far$/);
  });

  it('GIVEN a notify user group THEN members opt in and out with /quiz notify, the scheduled question pings exactly that group, and nothing else ever pings', async () => {
    const t = await setup(mode);
    t.fake.usergroups.set('S0PINGS', new Set(['UADMIN']));
    await t.command('UBOB', 'notify role <!subteam^S0PINGS|@quiz-pings>');
    await t.fake.waitFor('denied', () => t.fake.responses.find((r) => /admins/i.test(r.body.text)));
    await t.command('UADMIN', 'notify role <!subteam^S0PINGS|@quiz-pings>');
    await until(async () => (await t.app.scheduling.notifyRoleOf(t.channel)) === 'S0PINGS');
    await t.command('UBOB', 'notify on');
    await t.fake.waitFor('on', () => t.fake.responses.find((r) => /You will be pinged/.test(r.body.text)));
    expect([...t.fake.usergroups.get('S0PINGS')!].sort()).toEqual(['UADMIN', 'UBOB']);
    const { round } = await t.app.quiz.startRound(t.channel, {
      mode: 'scheduled',
      slotMs: Date.UTC(2026, 10, 18, 9),
      topic: 'cap',
      revealAt: Date.now() + 3_600_000,
    });
    const post = t.fake.callsTo('chat.postMessage').find((c) => c.args.metadata?.event_payload?.part === 'question')!;
    expect(post.args.text.startsWith('<!subteam^S0PINGS> ')).toBe(true);
    const thread = (await t.app.store.getRound(round.id))!.threadRef!;
    await t.event(reply('UALICE', thread, `${GOOD} <!channel> <!subteam^S0PINGS> <@UBOB>`, t.fake.nextTs()));
    await until(async () => (await t.app.store.answers(round.id)).length === 1);
    await t.app.scheduling.update(t.channel, { reminderMs: 3_600_000 });
    expect(await t.app.quiz.remind(round.id, 'w1')).toBe('sent');
    await t.app.quiz.reveal(round.id);
    await t.app.quiz.startRound(t.channel, { mode: 'practice', topic: 'acid' });
    expect(t.fake.pings).toEqual([{ channel: CHANNEL, mentions: ['!subteam^S0PINGS'] }]);
    // Two members opting in at the same moment: both end up in the group (Slack replaces the list).
    await Promise.all([t.command('UALICE', 'notify on'), t.command('UCAROL', 'notify on')]);
    await until(() => t.fake.usergroups.get('S0PINGS')!.size === 4);
    expect([...t.fake.usergroups.get('S0PINGS')!].sort()).toEqual(['UADMIN', 'UALICE', 'UBOB', 'UCAROL']);
    for (const u of ['UALICE', 'UCAROL']) await t.command(u, 'notify off');
    await until(() => t.fake.usergroups.get('S0PINGS')!.size === 2);
    await t.command('UBOB', 'notify off');
    await until(() => !t.fake.usergroups.get('S0PINGS')!.has('UBOB'));
    // Slack keeps at least one member in a group: the last one is told, nothing is sent.
    await t.command('UADMIN', 'notify off');
    await t.fake.waitFor('last', () => t.fake.responses.find((r) => /at least one member/.test(r.body.text)));
    expect([...t.fake.usergroups.get('S0PINGS')!]).toEqual(['UADMIN']);
  });

  it('GIVEN /quiz suggest THEN a form collects the question (refusals shown on the form), an admin approves it, the author hears privately', async () => {
    const t = await setup(mode);
    await t.command('UBOB', 'suggest');
    const open = await t.fake.waitFor('views.open', () => t.fake.callsTo('views.open')[0]);
    expect(open.args.view.callback_id).toBe('qb_suggest');
    const submission = (values: Record<string, string>) => ({
      api_app_id: t.fake.appId,
      token: 'legacy',
      team: { id: t.fake.teamId, domain: 'study' },
      user: { id: 'UBOB', username: 'bob', team_id: t.fake.teamId },
      type: 'view_submission',
      trigger_id: 'trig-s',
      view: {
        id: 'V2',
        hash: 'h2',
        type: 'modal',
        callback_id: 'qb_suggest',
        private_metadata: open.args.view.private_metadata,
        team_id: t.fake.teamId,
        state: { values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: { type: 'plain_text_input', value: v } }])) },
      },
    });
    const sample =
      'A Bloom filter is a compact probabilistic set that answers membership queries. It can return false positives but never false negatives. It uses several hash functions that each set a bit in a shared bit array. Databases such as Cassandra use one per file to skip disk reads for keys that are absent.';
    // Too short a sample: the form shows why and keeps the input (nothing queued).
    const refused = await t.interactiveAck(
      submission({ title: 'What is a Bloom filter?', question: 'Explain what a Bloom filter is and when to use one.', sample: 'Short.' }),
    );
    // Each error under its own field, answered at once (no lookup before the ack).
    expect(refused).toEqual({ response_action: 'errors', errors: { sample: expect.stringMatching(/sample answer must be 40 to 3000 characters/) } });
    const several = await t.interactiveAck(submission({ title: 'Bf', question: 'Why?', sample, keyPoints: 'one; two' }));
    expect(several).toEqual({
      response_action: 'errors',
      errors: {
        title: expect.stringMatching(/title must be 5 to 80 characters/),
        question: expect.stringMatching(/question must be 15 to 1000 characters/),
        keyPoints: expect.stringMatching(/Give 3 to 6 key points/),
      },
    });
    const good = submission({ title: 'What is a Bloom filter?', question: 'Explain what a Bloom filter is and when to use one.', sample, keyPoints: '' });
    await t.interactive(good);
    const eph = await t.fake.waitFor('ephemeral', () => t.fake.callsTo('chat.postEphemeral').find((c) => /waits for an admin/.test(c.args.text)));
    expect(eph.args.user).toBe('UBOB');
    // What needs a lookup (a repeat of a pending question) is told after the ack, privately.
    expect((await t.interactiveAck(good))?.response_action).toBeUndefined();
    await t.fake.waitFor('repeat', () => t.fake.callsTo('chat.postEphemeral').find((c) => /already here/.test(c.args.text)));
    await t.command('UADMIN', 'approve s1 topics=bloom-filter level=senior');
    await t.fake.waitFor('dm', () => t.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'UBOB' && /was approved/.test(c.args.text)));
    expect((await t.app.quiz.bankFor(t.channel)).get('what-is-a-bloom-filter')?.author?.name).toBe('bob');
    // Scheduled as the question of the day (credited), answered in its thread, revealed.
    await t.app.scheduling.update(t.channel, { cron: '0 9 * * *', timezone: 'UTC', topics: ['bloom-filter'] });
    const daily = await t.app.scheduling.postNow(t.channel);
    expect(daily.question.id).toBe('what-is-a-bloom-filter');
    const post = t.fake.callsTo('chat.postMessage').find((c) => c.args.metadata?.event_payload?.round_id === daily.round.id)!;
    expect(JSON.stringify(post.args.blocks)).toContain('suggested by bob');
    const thread = (await t.app.store.getRound(daily.round.id))!.threadRef!;
    await t.event(reply('UALICE', thread, sample, t.fake.nextTs()));
    await until(async () => (await t.app.store.answers(daily.round.id)).length === 1);
    await t.app.quiz.reveal(daily.round.id);
    const reveal = t.fake.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === thread);
    expect(JSON.stringify(reveal.map((c) => c.args.blocks))).toMatch(/\*alice\*: \d+ pts/);
  });

  it('GIVEN a reward user group held by last week’s winner alone THEN the weekly recap hands it to this week’s winner', async () => {
    const t = await setup(mode);
    // Slack never lets a user group be empty: the new winner has to join before the old one leaves.
    t.fake.usergroups.set('S0WIN', new Set(['UALICE']));
    await t.app.store.setRewardHolder(t.channel, 'UALICE');
    await t.app.scheduling.update(t.channel, { cron: '0 9 * * *', timezone: 'UTC', rewardRole: 'S0WIN' });
    const { round } = await t.app.quiz.startRound(t.channel, { mode: 'scheduled', slotMs: Math.floor(Date.now() / 60_000) * 60_000, topic: 'cap' });
    await t.app.quiz.recordAnswer({
      channel: t.channel,
      threadRef: null,
      roundId: round.id,
      member: { id: 'UBOB', name: 'bob' },
      text: GOOD,
      deliveryId: 'd1',
    });
    await t.app.quiz.reveal(round.id);
    const week = periodWindow('week', (await t.app.store.getRound(round.id))!.revealedAt!, 'UTC').key;
    expect(await t.app.recaps.run(t.channel, 'week', week, 'w1')).toBe('sent');
    expect([...t.fake.usergroups.get('S0WIN')!]).toEqual(['UBOB']);
  });
});

const WORDY = (n: number, seed: string) =>
  Array.from({ length: n }, (_, i) => `${seed} ${i} consistency availability partition`)
    .join(' ')
    .slice(0, n);

describe.each(['socket', 'http'] as const)('Slack as Slack behaves, %s mode (strict fake)', (mode) => {
  it('GIVEN thread_broadcast and file_share replies THEN both are answers, each acknowledged with ✅', async () => {
    const t = await setup(mode);
    const { round } = await t.app.quiz.startRound(t.channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 11, 1, 9), topic: 'cap', revealAt: null });
    const thread = round.threadRef!;
    const a = t.fake.reply(CHANNEL, 'UALICE', thread, GOOD, { subtype: 'thread_broadcast' });
    const b = t.fake.reply(CHANNEL, 'UBOB', thread, PARTIAL, { subtype: 'file_share' });
    await t.event(a);
    await t.event(b);
    await until(async () => (await t.app.store.answers(round.id)).length === 2);
    await t.fake.waitFor('acks', () => t.fake.botReactions.length === 2);
    expect(t.fake.botReactions.sort()).toEqual([`${CHANNEL}:${String(a.ts)}:white_check_mark`, `${CHANNEL}:${String(b.ts)}:white_check_mark`].sort());
  }, 30_000);

  it('GIVEN an unfurl (message_changed without edited) and an edit of an older reply THEN neither replaces the newer answer; an edit of the newest does', async () => {
    const t = await setup(mode);
    const { round } = await t.app.quiz.startRound(t.channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 11, 2, 9), topic: 'cap', revealAt: null });
    const thread = round.threadRef!;
    const first = t.fake.reply(CHANNEL, 'UALICE', thread, 'A: see https://example.com/cap');
    await t.event(first);
    const second = t.fake.reply(CHANNEL, 'UALICE', thread, GOOD);
    await t.event(second);
    await until(async () => (await t.app.store.answers(round.id))[0]?.text === GOOD);
    await t.event(t.fake.changed(CHANNEL, { user: 'UALICE', ts: first.ts as string, thread_ts: thread, text: first.text as string }, { edit: false }));
    await t.event(t.fake.changed(CHANNEL, { user: 'UALICE', ts: first.ts as string, thread_ts: thread, text: 'A edited later' }, { edit: true }));
    await until(async () => (await t.app.metrics.value('quizbot_answers_rejected_total', { platform: 'slack', reason: 'not-an-edit' })) >= 1);
    await until(async () => (await t.app.metrics.value('quizbot_answers_rejected_total', { platform: 'slack', reason: 'stale' })) >= 1);
    expect((await t.app.store.answers(round.id)).map((x) => x.text)).toEqual([GOOD]);
    await t.event(t.fake.changed(CHANNEL, { user: 'UALICE', ts: second.ts as string, thread_ts: thread, text: `${GOOD} Also PACELC.` }, { edit: true }));
    await until(async () => (await t.app.store.answers(round.id))[0]?.text === `${GOOD} Also PACELC.`);
  }, 30_000);

  it('GIVEN 👍 on an answer in an older round’s thread THEN the vote lands on that answer, not the newest round', async () => {
    const t = await setup(mode);
    const older = (await t.app.quiz.startRound(t.channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 11, 3, 9), topic: 'cap', revealAt: null })).round;
    const ans = t.fake.reply(CHANNEL, 'UALICE', older.threadRef!, GOOD);
    await t.event(ans);
    await until(async () => (await t.app.store.answers(older.id)).length === 1);
    const newer = (await t.app.quiz.startRound(t.channel, { mode: 'practice', topic: 'acid' })).round;
    await t.event(t.fake.reaction('UCAROL', 'tada', CHANNEL, ans.ts as string, 'UALICE')); // not a vote
    await t.event(t.fake.reaction('UBOB', '+1', CHANNEL, ans.ts as string, 'UALICE'));
    await until(async () => (await t.app.progress.votesOf(older)).get('UALICE') === 1);
    expect((await t.app.progress.votesOf(newer)).size).toBe(0);
    await t.event(t.fake.reaction('UBOB', '+1', CHANNEL, ans.ts as string, 'UALICE', false));
    await until(async () => (await t.app.progress.votesOf(older)).size === 0);
  }, 30_000);

  it('GIVEN four 3,000-character private answers THEN the reveal is split by total text and every word arrives', async () => {
    const t = await setup(mode);
    const { round } = await t.app.quiz.startRound(t.channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 11, 4, 9), topic: 'cap', revealAt: null });
    for (const [i, u] of ['UALICE', 'UBOB', 'UCAROL', 'UADMIN'].entries()) {
      await t.app.quiz.recordAnswer({
        channel: t.channel,
        threadRef: null,
        roundId: round.id,
        member: { id: u, name: u },
        text: `${WORDY(2990, `p${i}`)} END${i}`,
        deliveryId: `v${i}`,
        private: true,
      });
    }
    await t.app.quiz.reveal(round.id);
    const parts = t.fake.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === round.threadRef);
    expect(parts.length).toBeGreaterThan(1);
    const all = JSON.stringify(parts.map((p) => p.args.blocks));
    for (let i = 0; i < 4; i++) expect(all).toContain(`END${i}`);
  }, 30_000);

  it('GIVEN the bot is not in the channel THEN whoever set the schedule is told once, and the schedule pauses after 3 refusals', async () => {
    const t = await setup(mode);
    await t.command('UADMIN', 'schedule set 0 9 * * * UTC 8h');
    await t.fake.waitFor('saved', () => t.fake.responses.find((r) => /Schedule saved/.test(r.body.text)));
    t.fake.notInChannel.add(CHANNEL);
    const slotMs = Date.UTC(2026, 11, 5, 9);
    for (let i = 0; i < 3; i++) await t.app.quiz.startRound(t.channel, { mode: 'scheduled', slotMs, revealAt: null }).catch(() => undefined);
    const dms = t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'UADMIN');
    expect(dms).toHaveLength(2); // told once, then told it paused
    expect(dms[0]!.args.text).toMatch(/not a member of <#C0QUIZ>/);
    expect(dms[1]!.args.text).toMatch(/paused/);
    expect((await t.app.scheduling.stored(t.channel))!.paused).toBe(true);
    t.fake.rejected.length = 0; // the not_in_channel refusals were the point
  }, 30_000);

  it('GIVEN two open questions THEN /quiz reveal asks which with buttons, and a click reveals that one; the question message loses its button', async () => {
    const t = await setup(mode);
    const daily = (await t.app.quiz.startRound(t.channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 11, 6, 9), topic: 'cap', revealAt: null })).round;
    const practice = (await t.app.quiz.startRound(t.channel, { mode: 'practice', topic: 'acid', requestedBy: { id: 'UBOB', name: 'bob' } })).round;
    await t.command('UADMIN', 'reveal');
    const ask = await t.fake.waitFor('choices', () => t.fake.responses.find((r) => r.body.blocks?.some((b: any) => b.type === 'actions')));
    const buttons = ask.body.blocks.find((b: any) => b.type === 'actions').elements;
    expect(buttons.map((b: any) => b.value).sort()).toEqual([daily.id, practice.id].sort());
    const pick = buttons.find((b: any) => b.value === daily.id);
    await t.interactive({
      type: 'block_actions',
      api_app_id: t.fake.appId,
      token: 'legacy',
      team: { id: t.fake.teamId, domain: 'study' },
      user: { id: 'UADMIN', username: 'admin', team_id: t.fake.teamId },
      trigger_id: 'trig-r',
      channel: { id: CHANNEL, name: 'quiz' },
      container: { type: 'ephemeral', channel_id: CHANNEL },
      response_url: `${t.fake.url}/response/pick`,
      actions: [{ type: 'button', action_id: pick.action_id, block_id: 'b', value: pick.value, action_ts: '1.2' }],
    });
    await until(async () => (await t.app.store.getRound(daily.id))!.state === 'revealed');
    expect((await t.app.store.getRound(practice.id))!.state).toBe('posted');
    const updated = t.fake.messages.get(`${CHANNEL}:${daily.messageRef}`)!;
    expect(updated.edited).toBe(true);
    expect(updated.blocks!.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(updated.blocks)).toContain('Revealed');
  }, 30_000);

  it('GIVEN a redelivery under the same event_id THEN it is dropped before any handler runs', async () => {
    const t = await setup(mode);
    const { round } = await t.app.quiz.startRound(t.channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 11, 8, 9), topic: 'cap', revealAt: null });
    // Same event id, different message: only the event_id dedupe can tell it is a redelivery.
    await t.event(t.fake.reply(CHANNEL, 'UALICE', round.threadRef!, GOOD), 'EvDEDUPE');
    await t.event(t.fake.reply(CHANNEL, 'UBOB', round.threadRef!, PARTIAL), 'EvDEDUPE', 1);
    await until(async () => (await t.app.store.answers(round.id)).length === 1);
    await t.event(t.fake.reaction('UCAROL', '+1', CHANNEL, '1.1', 'UALICE'), 'EvDEDUPE', 2);
    await until(async () => (await t.app.metrics.value('quizbot_duplicate_events_total', { platform: 'slack' })) >= 2);
    expect((await t.app.store.answers(round.id)).map((a) => a.member.id)).toEqual(['UALICE']);
  }, 30_000);

  it('GIVEN a 40,000-character /quiz topic THEN a clear refusal comes back at once', async () => {
    const t = await setup(mode);
    const t0 = Date.now();
    await t.command('UALICE', 'x'.repeat(40_000));
    const r = await t.fake.waitFor('refusal', () => t.fake.responses.find((x) => /too long|at most/.test(x.body.text)));
    expect(r.body.response_type).toBe('ephemeral');
    expect(Date.now() - t0).toBeLessThan(5_000);
    await t.command('UALICE', `${'cap '.repeat(30)}`);
    await t.fake.waitFor('topic refusal', () => t.fake.responses.find((x) => /The topic is at most 100 characters/.test(x.body.text)));
  }, 30_000);

  it('GIVEN /quiz leaderboard THEN the channel sees the top 10 only and the caller their own rank privately', async () => {
    const t = await setup(mode);
    const { round } = await t.app.quiz.startRound(t.channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 11, 7, 9), topic: 'cap', revealAt: null });
    for (let i = 0; i < 12; i++)
      await t.app.quiz.recordAnswer({
        channel: t.channel,
        threadRef: round.threadRef,
        member: { id: `U${i}`, name: `member${i}` },
        text: i === 11 ? 'No idea, honestly; I have never looked into distributed systems theory.' : GOOD,
        deliveryId: `d${i}`,
        // Sent at the same instant: nobody can have copied anyone (this test is about the board).
        sentAt: 1_000,
        messageAt: 1_000,
      });
    await t.app.quiz.reveal(round.id);
    await t.command('U11', 'leaderboard week');
    const board = await t.fake.waitFor('board', () => t.fake.responses.find((r) => /Leaderboard/.test(r.body.text)));
    expect(board.body.response_type).toBe('in_channel');
    expect(board.body.text.split('\n').filter((l: string) => /^\d+\./.test(l))).toHaveLength(10);
    expect(board.body.text).not.toMatch(/\(you\)|member11/);
    const mine = await t.fake.waitFor('rank', () => t.fake.responses.find((r) => /You are #12/.test(r.body.text)));
    expect(mine.body.response_type).toBe('ephemeral');
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
    expect(m.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['message.channels', 'message.groups', 'reaction_added', 'reaction_removed', 'member_joined_channel']),
    );
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect([...m.oauth_config.scopes.bot].sort()).toEqual([...SCOPES].sort());
  });
});

describe('Slack HTTP mode with OAuth installs', () => {
  it("GIVEN an installation stored in Redis THEN posts use that workspace's bot token, and /slack/install starts the OAuth flow", async () => {
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
