/**
 * The Discord adapter end to end: the real discord.js Client, started through quizbot's own
 * start-up path (startPlatforms), against the fake Discord in test/fakes/discord.ts. Only
 * DISCORD_API_URL differs from production.
 */
import { FAKE_DISCORD_TOKEN } from '../../fakes/discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { periodWindow } from '../../../src/core/schedule/periods.js';
import { createApp, type App } from '../../../src/app.js';
import { QuestionBank } from '../../../src/content/bank.js';
import { loadBank } from '../../../src/content/loader.js';
import { loadConfig } from '../../../src/config/env.js';
import { silentLogger } from '../../../src/core/ports.js';
import type { ChannelRef } from '../../../src/core/types.js';
import { startPlatforms } from '../../../src/main.js';
import { FakeDiscord, snowflake, type FakeUser } from '../../fakes/discord.js';
import { longAnswerQuestion } from '../../helpers/core.js';
import { newNamespace, redisUrl, testRedisHandle } from '../../helpers/redis.js';
import { budget } from '../../helpers/wait.js';

const GOOD =
  'The CAP theorem: during a network partition a distributed system must choose consistency or availability; partition tolerance is not optional. ZooKeeper is CP, Cassandra is AP.';
const PARTIAL = 'It is about consistency and availability when the network splits, you pick one.';

let cleanup: (() => Promise<void>)[] = [];
let fakes: FakeDiscord[] = [];
afterEach(async () => {
  // Strict fake: whatever Discord would have refused (400 50035…) fails the test that sent it.
  const rejected = fakes.flatMap((f) => f.rejected);
  // Nothing quizbot sends may ping anyone but an opted-in notify role.
  const pings = fakes.flatMap((f) => f.pings).filter((p) => p.users.length > 0 || p.everyone);
  // Every command hint names a command Discord has (not the Slack/console `/quiz <verb>`).
  const hints = fakes.flatMap((f) => f.commandHintViolations());
  fakes = [];
  expect(rejected).toEqual([]);
  expect(pings).toEqual([]);
  expect(hints).toEqual([]);
});
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
  cleanup = [];
});

const longQuestion = longAnswerQuestion(120);

async function setup(env: Record<string, string> = {}): Promise<{ fake: FakeDiscord; app: App; channel: ChannelRef }> {
  const fake = new FakeDiscord();
  await fake.start();
  fakes.push(fake);
  const bank = new QuestionBank([...(await loadBank()).all(), longQuestion]);
  const redis = testRedisHandle();
  const app = await createApp({
    config: loadConfig({
      REDIS_URL: redisUrl(),
      REDIS_PREFIX: newNamespace('dc'),
      DISCORD_TOKEN: FAKE_DISCORD_TOKEN,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      ...env,
    }),
    logger: silentLogger,
    bank,
    redis,
  });
  expect((await startPlatforms(app)).names).toEqual(['discord']);
  // Reversed on teardown: the app (and its client) closes before the fake goes away.
  cleanup.push(
    () => redis.close(),
    () => fake.stop(),
    () => app.close(),
  );
  return { fake, app, channel: { platform: 'discord', serverId: fake.guildId, channelId: fake.channelId } };
}

const user = (name: string): FakeUser => ({ id: snowflake(), username: name });
const alice = user('alice');
const bob = user('bob');
const carol = user('carol');
const ADMIN = String(1n << 5n); // Manage Server

function slash(name: string, options: { name: string; value: string; type?: number; focused?: boolean }[] = [], sub?: string) {
  const opts = options.map((o) => ({ type: o.type ?? 3, name: o.name, value: o.value, ...(o.focused ? { focused: true } : {}) }));
  return { id: snowflake(), name, type: 1, options: sub ? [{ type: 1, name: sub, options: opts }] : opts };
}

/** What a person reads in a message: its content and its embeds' descriptions. */
function messageText(m: { content?: string; embeds?: { description?: string }[] }): string {
  return [m.content ?? '', ...(m.embeds ?? []).map((e) => e.description ?? '')].join('\n');
}

describe('Discord adapter (real discord.js against a fake Discord)', () => {
  it('GIVEN a scheduled round THEN embed + thread, replies (one edited, one late) are collected, the reveal grades them and /leaderboard orders them', async () => {
    const { fake, app, channel } = await setup();
    expect(fake.readyIntents).toBe((1 << 0) | (1 << 9) | (1 << 10) | (1 << 15)); // Guilds, GuildMessages, GuildMessageReactions, MessageContent
    const slotMs = Date.UTC(2026, 10, 23, 9);
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs, topic: 'cap', revealAt: Date.now() + 3_600_000 });
    const [post] = fake.posted(fake.channelId);
    expect(post.embeds[0].title).toMatch(/Question of the day: The CAP theorem/);
    expect(post.embeds[0].fields.find((f: { name: string }) => f.name === 'Reveal').value).toMatch(/^<t:\d+:F>/);
    expect(post.components[0].components[0]).toMatchObject({ custom_id: `qb:answer:${round.id}`, label: 'Answer privately' });
    const thread = round.threadRef ?? (await app.store.getRound(round.id))!.threadRef!;
    const threadCall = fake.calls.find((c) => c.path.endsWith('/threads'))!;
    expect(threadCall.body.name).toBe('The CAP theorem');

    fake.userMessage(thread, alice, GOOD);
    const bobMsg = fake.userMessage(thread, bob, 'no idea');
    await waitAnswers(app, round.id, 2);
    fake.userEdit(thread, bob, bobMsg, PARTIAL);
    await until(async () => (await app.store.answers(round.id)).some((a) => a.text === PARTIAL));
    const view = await app.quiz.reveal(round.id);
    fake.userMessage(thread, carol, GOOD); // after the reveal: not scored
    await until(async () => (await app.metrics.value('quizbot_answers_rejected_total', { platform: 'discord', reason: 'closed' })) >= 1);
    expect((await app.store.answers(round.id)).map((a) => a.member.name).sort()).toEqual(['alice', 'bob']);
    expect(view.feedback.map((f) => f.member.name)).toEqual(['alice', 'bob']);
    const revealMsgs = fake.posted(thread);
    expect(revealMsgs[0].embeds[0].title).toMatch(/🔓 Reveal: The CAP theorem — Sample answer 1/);
    const feedback = revealMsgs.map(messageText).join('\n');
    expect(feedback).toMatch(/\*\*alice\*\*: \d+ pts, \d\/5 key points/);
    expect(feedback).toMatch(/❌ /);

    const lb = fake.interaction(2, carol, slash('leaderboard', [{ name: 'period', value: 'week' }]));
    const board = await fake.waitFor('public board', () => fake.posted(fake.channelId).find((m) => m.embeds?.[0]?.title?.startsWith('🏆')));
    expect(board.embeds[0].description.indexOf('alice')).toBeLessThan(board.embeds[0].description.indexOf('bob'));
    await fake.waitFor('ephemeral ack', () => fake.callbacks(lb.id).find((c) => c.body?.type === 5 && c.body.data?.flags === 64));
    // Every message the bot sent disables mentions.
    const sends = fake.calls.filter((c) => c.method === 'POST' && /\/channels\/\d+\/messages$/.test(c.path));
    expect(sends.length).toBeGreaterThan(3);
    for (const s of sends) expect(s.body.allowed_mentions).toEqual({ parse: [] });
  }, 30_000);

  it('GIVEN /quiz with topic cap THEN the CAP question is posted; autocomplete for "cpa" offers it first', async () => {
    const { fake } = await setup();
    const ac = fake.interaction(4, alice, slash('quiz', [{ name: 'topic', value: 'cpa', focused: true }]));
    const result = await fake.waitFor('autocomplete', () => fake.callbacks(ac.id).find((c) => c.body?.type === 8));
    expect(result.body.data.choices[0]).toEqual({ name: 'The CAP theorem', value: 'cap-theorem' });
    expect(result.body.data.choices.length).toBeLessThanOrEqual(25);
    fake.interaction(2, alice, slash('quiz', [{ name: 'topic', value: 'cap' }]));
    const posted = await fake.waitFor('question', () => fake.posted(fake.channelId).find((m) => m.embeds?.[0]?.title));
    expect(posted.embeds[0].title).toBe('🧪 Practice: The CAP theorem');
  }, 30_000);

  it('GIVEN the private-answer button THEN a modal collects a hidden answer, acknowledged ephemerally, shown only at the reveal, pinging nobody', async () => {
    const { fake, app, channel } = await setup();
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 10, 24, 9), topic: 'acid', revealAt: null });
    const msg = [...fake.messages.values()].find((m) => m.components?.length);
    const btn = fake.interaction(3, alice, { custom_id: `qb:answer:${round.id}`, component_type: 2 }, { message: msg });
    const modal = await fake.waitFor('modal', () => fake.callbacks(btn.id).find((c) => c.body?.type === 9));
    expect(modal.body.data.custom_id).toBe(`qb:modal:${round.id}`);
    const secret = 'Atomicity and isolation matter; @everyone should not be pinged by this.';
    const sub = fake.interaction(5, alice, {
      custom_id: `qb:modal:${round.id}`,
      components: [{ type: 1, components: [{ type: 4, custom_id: 'answer', value: secret }] }],
    });
    const ack = await fake.waitFor('ack', () => fake.callbacks(sub.id).find((c) => c.body?.type === 4));
    expect(ack.body.data.flags).toBe(64);
    expect(ack.body.data.content).toMatch(/private answer is saved/);
    const answers = await app.store.answers(round.id);
    expect(answers).toEqual([expect.objectContaining({ private: true, text: secret })]);
    expect(JSON.stringify(fake.calls.filter((c) => c.path.includes('/channels/')))).not.toContain('should not be pinged');
    await app.quiz.reveal(round.id);
    const text = fake
      .posted(round.threadRef ?? (await app.store.getRound(round.id))!.threadRef!)
      .map(messageText)
      .join('\n');
    expect(text).toContain('(answered privately)');
    expect(text).toContain('@everyone should not be pinged');
    for (const c of fake.calls.filter((c) => c.method === 'POST' && /\/messages$/.test(c.path))) expect(c.body.allowed_mentions).toEqual({ parse: [] });
  }, 30_000);

  it('GIVEN a long sample answer THEN the reveal is split within 4,096 per embed and 2,000 per message', async () => {
    const { fake, app, channel } = await setup();
    const { round } = await app.quiz.startRound(channel, { mode: 'practice', topic: 'long-answer' });
    await app.quiz.reveal(round.id);
    const msgs = fake.posted((await app.store.getRound(round.id))!.threadRef!);
    expect(msgs.length).toBeGreaterThan(2);
    for (const m of msgs) {
      expect((m.content ?? '').length).toBeLessThanOrEqual(2000);
      for (const e of m.embeds ?? []) expect(e.description.length).toBeLessThanOrEqual(4096);
    }
    const all = msgs.flatMap((m) => (m.embeds ?? []).map((e: { description: string }) => e.description)).join('\n');
    expect(all).toContain('Paragraph 0:');
    expect(all).toContain('Paragraph 119:');
  }, 30_000);

  it('GIVEN the bot cannot create threads THEN the admin is told, and the round collects answers in the channel', async () => {
    const { fake, app, channel } = await setup();
    fake.denyThreads = 1;
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 10, 25, 9), topic: 'oauth', revealAt: null });
    expect(round.threadRef).toBe(fake.channelId);
    await fake.waitFor('owner DM', () => fake.calls.find((c) => c.path === '/api/v10/users/@me/channels'));
    fake.userMessage(fake.channelId, alice, 'OAuth delegates authorization with access tokens and scopes, without sharing the password.');
    await waitAnswers(app, round.id, 1);
  }, 30_000);

  it('GIVEN a moderator locked the round’s thread THEN the reveal goes to the channel once, the admin is told, and nothing retries', async () => {
    const { fake, app, channel } = await setup();
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 10, 27, 9), topic: 'acid', revealAt: null });
    fake.userMessage(round.threadRef!, alice, GOOD);
    await waitAnswers(app, round.id, 1);
    fake.lockThread(round.threadRef!);
    const view = await app.quiz.reveal(round.id);
    expect(view.round.state).toBe('revealed');
    // Refused once in the thread, then posted in the channel; the owner hears why.
    expect(fake.calls.filter((c) => c.method === 'POST' && c.path === `/api/v10/channels/${round.threadRef}/messages`)).toHaveLength(1);
    const inChannel = fake.posted(fake.channelId).filter((b) => JSON.stringify(b).includes('Reveal') || JSON.stringify(b).includes('reveal'));
    expect(inChannel.length).toBeGreaterThan(0);
    await fake.waitFor('owner DM', () => fake.calls.find((c) => c.path === '/api/v10/users/@me/channels'));
    const dms = fake.calls.filter(
      (c) => c.method === 'POST' && /\/channels\/\d+\/messages$/.test(c.path) && JSON.stringify(c.body).includes('locked, archived for good or deleted'),
    );
    expect(dms).toHaveLength(1);
    // A second attempt (a retried job) finds the round revealed and sends nothing more.
    const before = fake.calls.length;
    await app.quiz.reveal(round.id);
    expect(fake.calls.slice(before).filter((c) => c.method === 'POST')).toHaveLength(0);
  }, 30_000);

  it('GIVEN a 429 on posting THEN discord.js waits Retry-After and the question is posted once', async () => {
    const { fake, app, channel } = await setup();
    fake.rateLimitPosts.push(0.3);
    const t0 = Date.now();
    await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 10, 26, 9), topic: 'acid', revealAt: null });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    const posts = fake.calls.filter((c) => c.method === 'POST' && c.path === `/api/v10/channels/${fake.channelId}/messages`);
    expect(posts).toHaveLength(2); // the 429 and the retry
    expect([...fake.messages.values()].filter((m) => m.channel_id === fake.channelId)).toHaveLength(1);
  }, 30_000);

  it('GIVEN the gateway asks for a reconnect (op 7) THEN the client resumes and a reply sent meanwhile is not lost', async () => {
    const { fake, app, channel } = await setup();
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 10, 27, 9), topic: 'cap', revealAt: null });
    const thread = (await app.store.getRound(round.id))!.threadRef!;
    fake.requestReconnect();
    fake.userMessage(thread, alice, GOOD);
    await fake.waitFor('resume', () => fake.resumes === 1);
    await waitAnswers(app, round.id, 1);
    expect((await app.store.answers(round.id))[0]!.member.name).toBe('alice');
  }, 30_000);

  it('GIVEN no Message Content intent THEN answers count as participation only and the owner is told once', async () => {
    const { fake, app, channel } = await setup({ DISCORD_MESSAGE_CONTENT: 'false' });
    expect(fake.readyIntents).toBe((1 << 0) | (1 << 9) | (1 << 10));
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 10, 30, 9), topic: 'cap', revealAt: null });
    const thread = (await app.store.getRound(round.id))!.threadRef!;
    fake.userMessage(thread, alice, ''); // what Discord sends without the intent
    fake.userMessage(thread, bob, '');
    await waitAnswers(app, round.id, 2);
    const dms = fake.calls.filter((c) => c.path === '/api/v10/users/@me/channels');
    expect(dms).toHaveLength(1);
    const view = await app.quiz.reveal(round.id);
    expect(view.feedback.map((f) => f.points)).toEqual([10, 10]);
    // The stand-in text is never graded as the member's words.
    expect(view.feedback.every((f) => f.flags.includes('no-text') && f.covered.length === 0)).toBe(true);
  }, 30_000);

  it('GIVEN a revealed daily question THEN /quizhistory lists it with a link to its thread', async () => {
    const { fake, app, channel } = await setup();
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 11, 1, 9), topic: 'cap', revealAt: null });
    const thread = (await app.store.getRound(round.id))!.threadRef!;
    fake.userMessage(thread, alice, GOOD);
    await until(async () => (await app.store.answers(round.id)).length === 1);
    await app.quiz.reveal(round.id);
    const h = fake.interaction(2, bob, { id: snowflake(), name: 'quizhistory', type: 1, options: [{ type: 4, name: 'count', value: 5 }] });
    const r = await fake.waitFor('history', () => fake.calls.find((c) => c.method === 'PATCH' && c.path.includes(h.token)));
    expect(r.body.content).toMatch(/📚 The last 1 question in this channel:/);
    expect(r.body.content).toMatch(/1 answer, average coverage \d+%/);
    expect(r.body.content).toContain(`<#${thread}>`);
  }, 30_000);

  it('GIVEN /quizhelp in a channel or the bot’s DMs THEN every command is named as Discord has it; another command in a DM is told it works in a server', async () => {
    const { fake } = await setup();
    const inChannel = fake.interaction(2, bob, slash('quizhelp', []));
    const help = await fake.waitFor('help', () => fake.calls.find((c) => c.method === 'PATCH' && c.path.includes(inChannel.token)));
    expect(help.body.content).toContain('/quizreveal');
    expect(help.body.content).toContain('/leaderboard');
    expect(help.body.content).not.toMatch(/\/quiz (reveal|leaderboard|stats|schedule)\b/);
    const dmHelp = fake.interaction(2, bob, slash('quizhelp', []), { dm: true });
    const dm = await fake.waitFor('help in a DM', () => fake.callbacks(dmHelp.id).find((c) => c.body?.type === 4));
    expect(dm.body.data.flags).toBe(64);
    expect(dm.body.data.content).toContain('/quizstats');
    const dmOther = fake.interaction(2, bob, slash('leaderboard', []), { dm: true });
    const other = await fake.waitFor('an answer in a DM', () => fake.callbacks(dmOther.id).find((c) => c.body?.type === 4));
    expect(other.body.data.content).toMatch(/work in a server channel/);
    // Registered with their contexts: only /quizhelp is offered in DMs.
    const { COMMAND_DEFINITIONS } = await import('../../../src/platforms/discord/commands.js');
    expect(COMMAND_DEFINITIONS.filter((c) => c.contexts?.includes(1)).map((c) => c.name)).toEqual(['quizhelp']);
    expect(COMMAND_DEFINITIONS.every((c) => c.contexts?.includes(0))).toBe(true);
  });

  it('GIVEN quizbot added to a new server THEN one welcome with the three first steps, in Discord’s command names; where it may not post, the owner hears it', async () => {
    const { fake } = await setup();
    const g = fake.joinGuild();
    const welcome = await fake.waitFor('the welcome', () => fake.posted(g.channelId).find((b) => String(b.content).includes('Hi, I’m quizbot')));
    expect(welcome.content).toContain('/quizadmin schedule');
    expect(welcome.content).toContain('/leaderboard');
    expect(welcome.content).toContain('/quizhelp');
    // GUILD_CREATE again for that server (a reconnect, another replica): no second welcome.
    fake.dispatch('GUILD_CREATE', { ...fake.guild(g.guildId), guild_id: g.guildId });
    const quiet = fake.joinGuild({ everyonePermissions: '0' });
    // The second server is where it may not post: its owner is DM'd instead (a positive signal
    // that both GUILD_CREATEs were handled, in order).
    await fake.waitFor('the owner DM', () => fake.calls.find((c) => c.method === 'POST' && c.path === '/api/v10/users/@me/channels'));
    await fake.waitFor('the DM welcome', () =>
      fake.calls.find(
        (c) =>
          c.method === 'POST' &&
          /\/channels\/\d+\/messages$/.test(c.path) &&
          String(c.body?.content).includes('Hi, I’m quizbot') &&
          !c.path.includes(g.channelId),
      ),
    );
    expect(fake.posted(g.channelId).filter((b) => String(b.content).includes('Hi, I’m quizbot'))).toHaveLength(1);
    expect(fake.posted(quiet.channelId)).toHaveLength(0);
  });

  it('GIVEN admin verbs THEN they need Manage Server at run time too', async () => {
    const { fake } = await setup();
    const denied = fake.interaction(2, alice, slash('quizadmin', [], 'pause'));
    const d = await fake.waitFor('denied', () => fake.calls.find((c) => c.method === 'PATCH' && c.path.includes(denied.token)));
    expect(d.body.content).toMatch(/Only server admins/);
    const ok = fake.interaction(
      2,
      alice,
      slash(
        'quizadmin',
        [
          { name: 'cron', value: '0 9 * * 1-5' },
          { name: 'timezone', value: 'Europe/Berlin' },
          { name: 'reveal', value: '8h' },
        ],
        'schedule',
      ),
      { permissions: ADMIN },
    );
    await fake.waitFor('saved', () => fake.posted(fake.channelId).find((m) => /Schedule saved/.test(m.content ?? '')));
    const bad = fake.interaction(2, alice, slash('quizadmin', [{ name: 'cron', value: '61 9 * * *' }], 'schedule'), { permissions: ADMIN });
    const b = await fake.waitFor('refused', () => fake.calls.find((c) => c.method === 'PATCH' && c.path.includes(bad.token)));
    expect(b.body.content).toMatch(/not a valid cron pattern.*e\.g\. "0 9 \* \* 1-5"/);
    void ok;
  }, 30_000);
});

async function until(fn: () => Promise<boolean>, ms = budget(10_000)) {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function waitAnswers(app: App, roundId: string, n: number) {
  await until(async () => (await app.store.answers(roundId)).length >= n);
}

describe('Discord as Discord behaves (strict fake)', () => {
  it('GIVEN a link embed resolving and an edit of an older message THEN neither replaces the newer answer; each member’s first reply gets ✅', async () => {
    const { fake, app, channel } = await setup();
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 11, 1, 9), topic: 'cap', revealAt: null });
    const thread = round.threadRef!;
    const a = fake.userMessage(thread, alice, 'A: see https://example.com/cap');
    await waitAnswers(app, round.id, 1);
    const b = fake.userMessage(thread, alice, GOOD);
    await until(async () => (await app.store.answers(round.id))[0]?.text === GOOD);
    fake.linkEmbedResolved(thread, alice, a, 'A: see https://example.com/cap');
    fake.userEdit(thread, alice, a, 'A, edited later');
    // Positive signals: the update was seen as not an edit, the old message's edit as stale.
    await until(async () => (await app.metrics.value('quizbot_answers_rejected_total', { platform: 'discord', reason: 'not-an-edit' })) >= 1);
    await until(async () => (await app.metrics.value('quizbot_answers_rejected_total', { platform: 'discord', reason: 'stale' })) >= 1);
    expect((await app.store.answers(round.id)).map((x) => x.text)).toEqual([GOOD]);
    fake.userEdit(thread, alice, b, `${GOOD} Also PACELC.`);
    await until(async () => (await app.store.answers(round.id))[0]?.text === `${GOOD} Also PACELC.`);
    // One ✅ per member and round: on her first answer; the one that replaced it costs no REST call.
    await fake.waitFor('the ack', () => fake.botReactions.length === 1);
    const carolsFirst = fake.userMessage(thread, carol, PARTIAL);
    await fake.waitFor('carol’s ack', () => fake.botReactions.length === 2);
    expect(fake.botReactions).toEqual([`${thread}/${a}/✅`, `${thread}/${carolsFirst}/✅`]);
  }, 30_000);

  it('GIVEN a member deletes their answer before the reveal THEN it is withdrawn; an older message or a revealed answer changes nothing', async () => {
    const { fake, app, channel } = await setup();
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 11, 3, 9), topic: 'cap', revealAt: null });
    const thread = round.threadRef!;
    const a = fake.userMessage(thread, alice, GOOD);
    const old = fake.userMessage(thread, carol, 'first try');
    await waitAnswers(app, round.id, 2);
    const newer = fake.userMessage(thread, carol, PARTIAL);
    await until(async () => (await app.store.answers(round.id)).some((x) => x.text === PARTIAL));
    fake.userDelete(thread, a);
    // Deleting an older message of carol's leaves her newer answer alone.
    fake.userDelete(thread, old);
    await until(async () => (await app.store.answers(round.id)).length === 1);
    await until(async () => (await app.metrics.value('quizbot_answers_withdrawn_total', { platform: 'discord' })) >= 1);
    expect((await app.store.answers(round.id)).map((x) => [x.member.id, x.text])).toEqual([[carol.id, PARTIAL]]);
    const view = await app.quiz.reveal(round.id);
    expect(view.feedback.map((f) => f.member.id)).toEqual([carol.id]);
    // After the reveal a deletion changes nothing (the store's own test covers every case).
    expect(await app.quiz.withdrawAnswer(channel, newer)).toBe('closed');
  }, 30_000);

  it('GIVEN 👍 reactions on an answer THEN they are votes for its author (any skin tone; not on the bot’s messages; removable)', async () => {
    const { fake, app, channel } = await setup();
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 11, 2, 9), topic: 'cap', revealAt: null });
    const thread = round.threadRef!;
    const a = fake.userMessage(thread, alice, GOOD);
    fake.userMessage(thread, carol, PARTIAL);
    await waitAnswers(app, round.id, 2);
    fake.userReaction(thread, a, bob, '👍🏽', alice.id);
    fake.userReaction(thread, a, carol, '🎉', alice.id);
    fake.userReaction(thread, round.messageRef!, carol, '👍', fake.botUser.id);
    await until(async () => (await app.progress.votesOf(round)).get(alice.id) === 1);
    fake.userReaction(thread, a, bob, '👍🏽', alice.id, false);
    await until(async () => (await app.progress.votesOf(round)).size === 0);
    fake.userReaction(thread, a, carol, '👍', alice.id);
    await until(async () => (await app.progress.votesOf(round)).get(alice.id) === 1);
    const view = await app.quiz.reveal(round.id);
    expect(view.feedback.find((f) => f.member.id === alice.id)!.points).toBeGreaterThan(view.feedback.find((f) => f.member.id === carol.id)!.points);
  }, 30_000);

  it('GIVEN /quiz topic:pause THEN it asks for a question on “pause” and pauses nothing', async () => {
    const { fake, app, channel } = await setup();
    await app.scheduling.update(channel, { cron: '0 9 * * *', timezone: 'UTC' });
    const i = fake.interaction(2, alice, slash('quiz', [{ name: 'topic', value: 'pause' }]), { permissions: ADMIN });
    const r = await fake.waitFor('reply', () => fake.calls.find((c) => c.method === 'PATCH' && c.path.includes(i.token)));
    expect(r.body.content).not.toMatch(/paused/i);
    expect((await app.scheduling.stored(channel))!.paused).toBe(false);
  }, 30_000);

  it('GIVEN two open questions THEN /quizreveal asks which, autocompletes them, and reveals the one picked; the question loses its button', async () => {
    const { fake, app, channel } = await setup();
    const daily = (await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 11, 3, 9), topic: 'cap', revealAt: null })).round;
    const practice = (await app.quiz.startRound(channel, { mode: 'practice', topic: 'acid', requestedBy: { id: bob.id, name: 'bob' } })).round;
    const ask = fake.interaction(2, alice, slash('quizreveal'), { permissions: ADMIN });
    const asked = await fake.waitFor('question', () => fake.calls.find((c) => c.method === 'PATCH' && c.path.includes(ask.token)));
    expect(asked.body.content).toMatch(/Several questions are open[\s\S]*1\. [\s\S]*2\. /);
    const ac = fake.interaction(4, alice, slash('quizreveal', [{ name: 'round', value: '', focused: true }]), { permissions: ADMIN });
    const choices = (await fake.waitFor('autocomplete', () => fake.callbacks(ac.id).find((c) => c.body?.type === 8))).body.data.choices;
    expect(choices.map((c: { value: string }) => c.value).sort()).toEqual([daily.id, practice.id].sort());
    fake.interaction(2, alice, slash('quizreveal', [{ name: 'round', value: daily.id }]), { permissions: ADMIN });
    await until(async () => (await app.store.getRound(daily.id))!.state === 'revealed');
    expect((await app.store.getRound(practice.id))!.state).toBe('posted');
    const question = fake.messages.get(daily.messageRef!)!;
    expect(question.components).toEqual([]);
    expect(question.embeds[0].description).toMatch(/Revealed/);
    // Bob may reveal his own practice question without picking: it is the only one he may reveal.
    fake.interaction(2, bob, slash('quizreveal'));
    await until(async () => (await app.store.getRound(practice.id))!.state === 'revealed');
  }, 30_000);

  it('GIVEN /leaderboard THEN the channel gets the top 10 only and the caller their rank privately', async () => {
    const { fake, app, channel } = await setup();
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 11, 4, 9), topic: 'cap', revealAt: null });
    const members = Array.from({ length: 12 }, (_, i) => user(`m${i}`));
    for (const [i, m] of members.entries())
      await app.quiz.recordAnswer({
        channel,
        threadRef: round.threadRef,
        member: { id: m.id, name: m.username },
        text: i === 11 ? 'No idea, honestly; I have never looked into distributed systems theory.' : GOOD,
        deliveryId: `d${i}`,
        // Sent at the same instant: nobody can have copied anyone (this test is about the board).
        sentAt: 1_000,
        messageAt: 1_000,
      });
    await app.quiz.reveal(round.id);
    const lb = fake.interaction(2, members[11]!, slash('leaderboard', [{ name: 'period', value: 'week' }]));
    const board = await fake.waitFor('board', () => fake.posted(fake.channelId).find((m) => m.embeds?.[0]?.title?.startsWith('🏆')));
    expect(board.embeds[0].description.split('\n')).toHaveLength(10);
    expect(board.embeds[0].description).not.toMatch(/\(you\)|m11/);
    const mine = await fake.waitFor('rank', () => fake.calls.find((c) => c.method === 'PATCH' && c.path.endsWith(`${lb.token}/messages/@original`)));
    expect(mine.body.content).toMatch(/You are #12/);
  }, 30_000);

  it('GIVEN a malformed interaction on the gateway THEN the bot logs it and keeps handling events', async () => {
    const { fake, app, channel } = await setup();
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 11, 5, 9), topic: 'cap', revealAt: null });
    fake.malformedInteraction();
    fake.userMessage(round.threadRef!, alice, GOOD);
    await waitAnswers(app, round.id, 1);
  }, 30_000);

  it('GIVEN Missing Permissions on posting THEN whoever set the schedule is told once and the schedule pauses after 3 refusals', async () => {
    const { fake, app, channel } = await setup();
    const admin = user('admin');
    const set = fake.interaction(
      2,
      admin,
      slash(
        'quizadmin',
        [
          { name: 'cron', value: '0 9 * * *' },
          { name: 'timezone', value: 'UTC' },
        ],
        'schedule',
      ),
      { permissions: ADMIN },
    );
    await fake.waitFor('saved', () => fake.calls.find((c) => c.method === 'PATCH' && c.path.includes(set.token)));
    fake.denyPosts.add(fake.channelId);
    for (let i = 0; i < 3; i++)
      await app.quiz.startRound(channel, { mode: 'scheduled', slotMs: Date.UTC(2026, 11, 6, 9), revealAt: null }).catch(() => undefined);
    const dms = fake.calls.filter((c) => c.path === '/api/v10/users/@me/channels');
    expect(dms.map((c) => c.body.recipient_id)).toEqual([admin.id, admin.id]);
    expect((await app.scheduling.stored(channel))!.paused).toBe(true);
  }, 30_000);
  it('GIVEN a week with answers THEN its recap is posted once as an embed that pings nobody; a resumed attempt finds it', async () => {
    const { fake, app, channel } = await setup();
    await app.scheduling.update(channel, { cron: '0 9 * * *', timezone: 'UTC' });
    const slotMs = Math.floor(Date.now() / 60_000) * 60_000;
    const { round } = await app.quiz.startRound(channel, { mode: 'scheduled', slotMs, topic: 'cap' });
    const everyone = { id: snowflake(), name: '@everyone *star*' };
    await app.quiz.recordAnswer({ channel, threadRef: null, roundId: round.id, member: everyone, text: GOOD, deliveryId: 'd1' });
    await app.quiz.reveal(round.id);
    const before = fake.posted(fake.channelId).length;
    // The week the points went to: the reveal's (read back, so a test across midnight on Sunday holds).
    const week = periodWindow('week', (await app.store.getRound(round.id))!.revealedAt!, 'UTC').key;
    expect(await app.recaps.run(channel, 'week', week, 'w1')).toBe('sent');
    const recap = fake.posted(fake.channelId).slice(before);
    expect(recap).toHaveLength(1);
    expect(recap[0].embeds[0].title).toMatch(/^📊 Weekly recap — week of \d+ \w+ \d{4}$/);
    expect(recap[0].embeds[0].description).toMatch(/^🥇 @everyone \\\*star\\\* — \d+ pts/);
    expect(recap[0].embeds[0].description).toContain('👥 Participation: 1 member answered 1 question (1 answer in all)');
    const call = fake.calls.filter((c) => c.method === 'POST' && c.path.endsWith(`/channels/${fake.channelId}/messages`)).at(-1)!;
    expect(call.body.allowed_mentions).toEqual({ parse: [] });
    expect(call.body.enforce_nonce).toBe(true);
    // A crash after Discord accepted it and before 'sent' was recorded: the retry looks first.
    const server = { platform: channel.platform, serverId: channel.serverId };
    await app.store.setNoticeState(server, `recap-week-${week}-${fake.channelId}`, 'sending', 60_000);
    // Long enough later that Discord no longer dedupes the nonce: only the footer marker finds it.
    fake.expireNonces();
    expect(await app.recaps.run(channel, 'week', week, 'w2')).toBe('sent');
    expect(await app.recaps.run(channel, 'week', week, 'w3')).toBe('already-sent');
    expect(fake.posted(fake.channelId).slice(before)).toHaveLength(1);
  });
  it('GIVEN a reminder before the reveal THEN it is posted once in the round’s thread', async () => {
    const { fake, app, channel } = await setup();
    await app.scheduling.update(channel, { cron: '0 9 * * *', timezone: 'UTC', reminderMs: 3_600_000 });
    const { round } = await app.quiz.startRound(channel, {
      mode: 'scheduled',
      slotMs: Date.UTC(2026, 10, 17, 9),
      topic: 'cap',
      revealAt: Date.now() + 3_600_000,
    });
    const thread = (await app.store.getRound(round.id))!.threadRef!;
    fake.userMessage(thread, alice, GOOD);
    await waitAnswers(app, round.id, 1);
    expect(await app.quiz.remind(round.id, 'w1')).toBe('sent');
    expect(await app.quiz.remind(round.id, 'w2')).toBe('already-sent');
    const notes = fake.posted(thread).filter((m) => m.embeds?.[0]?.title?.startsWith('⏳'));
    expect(notes).toHaveLength(1);
    expect(notes[0].embeds[0].title).toMatch(/^⏳ (59 min|1 h) left — 1 answer so far$/);
  });
  it('GIVEN a notify role THEN members opt in and out with /quiznotify, the scheduled question pings exactly that role, and nothing else ever pings', async () => {
    const { fake, app, channel } = await setup();
    // Discord pings a role only if it is mentionable (or the bot may mention everyone): the README says so.
    const role = fake.addRole(fake.guildId, { mentionable: true });
    const roleData = { id: role, name: 'quiz-pings', color: 0, hoist: false, position: 1, permissions: '0', managed: false, mentionable: true, flags: 0 };
    // A member cannot name the role; an admin can.
    const denied = fake.interaction(2, alice, {
      ...slash('quizadmin', [{ name: 'role', value: role, type: 8 }], 'notify'),
      resolved: { roles: { [role]: roleData } },
    });
    const d = await fake.waitFor('denied', () => fake.calls.find((c) => c.method === 'PATCH' && c.path.includes(denied.token)));
    expect(d.body.content).toMatch(/Only server admins/);
    fake.interaction(
      2,
      alice,
      { ...slash('quizadmin', [{ name: 'role', value: role, type: 8 }], 'notify'), resolved: { roles: { [role]: roleData } } },
      { permissions: ADMIN },
    );
    await until(async () => (await app.scheduling.notifyRoleOf(channel)) === role);
    const on = fake.interaction(2, bob, slash('quiznotify', [], 'on'));
    const onReply = await fake.waitFor('on', () => fake.calls.find((c) => c.method === 'PATCH' && c.path.includes(on.token)));
    expect(onReply.body.content).toMatch(/You will be pinged/);
    expect([...(fake.memberRoles.get(`${fake.guildId}:${bob.id}`) ?? [])]).toEqual([role]);

    const { round } = await app.quiz.startRound(channel, {
      mode: 'scheduled',
      slotMs: Date.UTC(2026, 10, 18, 9),
      topic: 'cap',
      revealAt: Date.now() + 3_600_000,
    });
    const [post] = fake.posted(fake.channelId).filter((m) => m.embeds?.[0]?.title?.includes('Question of the day'));
    expect(post.content).toBe(`<@&${role}> Pinged because you opted in: /quiznotify off stops it.`);
    expect(post.allowed_mentions).toEqual({ parse: [], roles: [role] });
    // Members whose names and answers try to ping: the thread, the reveal and a recap ping nobody.
    const thread = (await app.store.getRound(round.id))!.threadRef!;
    const sneaky = { id: snowflake(), username: '@everyone' };
    fake.userMessage(thread, sneaky, `${GOOD} <@&${role}> @here <@${alice.id}>`);
    await waitAnswers(app, round.id, 1);
    await app.scheduling.update(channel, { reminderMs: 3_600_000 });
    expect(await app.quiz.remind(round.id, 'w1')).toBe('sent');
    await app.quiz.reveal(round.id);
    expect(await app.recaps.run(channel, 'week', periodWindow('week', (await app.store.getRound(round.id))!.revealedAt!, 'UTC').key, 'w2')).toBe('sent');
    // A practice question pings nobody either.
    await app.quiz.startRound(channel, { mode: 'practice', topic: 'acid' });
    expect(fake.pings).toEqual([{ channelId: fake.channelId, roles: [role], users: [], everyone: false }]);

    const off = fake.interaction(2, bob, slash('quiznotify', [], 'off'));
    await fake.waitFor('off', () => fake.calls.find((c) => c.method === 'PATCH' && c.path.includes(off.token)));
    expect([...(fake.memberRoles.get(`${fake.guildId}:${bob.id}`) ?? [])]).toEqual([]);
    // Without Manage Roles the member is told why, and nothing changes.
    fake.denyRoles = true;
    const refused = fake.interaction(2, carol, slash('quiznotify', [], 'on'));
    const r = await fake.waitFor('refused', () => fake.calls.find((c) => c.method === 'PATCH' && c.path.includes(refused.token)));
    expect(r.body.content).toMatch(/not allowed to change that role: Discord needs Manage Roles/);
  }, 30_000);
  it('GIVEN /quizadmin reward-role THEN the weekly recap gives the role to the week’s winner', async () => {
    const { fake, app, channel } = await setup();
    const role = fake.addRole();
    const roleData = { id: role, name: 'champion', color: 0, hoist: false, position: 1, permissions: '0', managed: false, mentionable: false, flags: 0 };
    fake.interaction(
      2,
      alice,
      { ...slash('quizadmin', [{ name: 'role', value: role, type: 8 }], 'reward-role'), resolved: { roles: { [role]: roleData } } },
      { permissions: ADMIN },
    );
    await until(async () => (await app.scheduleStore.getSchedule(channel))?.rewardRole === role);
    const { round } = await app.quiz.startRound(channel, {
      mode: 'scheduled',
      slotMs: Date.UTC(2026, 10, 19, 9),
      topic: 'cap',
      revealAt: Date.now() + 3_600_000,
    });
    const thread = (await app.store.getRound(round.id))!.threadRef!;
    fake.userMessage(thread, carol, GOOD);
    await waitAnswers(app, round.id, 1);
    await app.quiz.reveal(round.id);
    expect(await app.recaps.run(channel, 'week', periodWindow('week', (await app.store.getRound(round.id))!.revealedAt!, 'UTC').key, 'w1')).toBe('sent');
    expect([...(fake.memberRoles.get(`${fake.guildId}:${carol.id}`) ?? [])]).toEqual([role]);
  }, 30_000);
  it('GIVEN /quizsuggest THEN a form collects the question, an admin approves it with /quizadmin approve, the author hears privately, and it is asked, scheduled and revealed', async () => {
    const { fake, app, channel } = await setup();
    const open = fake.interaction(2, bob, slash('quizsuggest'));
    const modal = await fake.waitFor('modal', () => fake.callbacks(open.id).find((c) => c.body?.type === 9));
    expect(modal.body.data.custom_id).toBe('qb:suggest');
    expect(modal.body.data.components.map((r: { components: { custom_id: string }[] }) => r.components[0]!.custom_id)).toEqual([
      'title',
      'question',
      'sample',
      'keyPoints',
    ]);
    const sample =
      'A Bloom filter is a compact probabilistic set that answers membership queries. It can return false positives but never false negatives. It uses several hash functions that each set a bit in a shared bit array. Databases such as Cassandra use one per file to skip disk reads for keys that are absent.';
    const submit = fake.interaction(5, bob, {
      custom_id: 'qb:suggest',
      components: [
        { type: 1, components: [{ type: 4, custom_id: 'title', value: 'What is a Bloom filter?' }] },
        { type: 1, components: [{ type: 4, custom_id: 'question', value: 'Explain what a Bloom filter is and when a backend would use one.' }] },
        { type: 1, components: [{ type: 4, custom_id: 'sample', value: sample }] },
        { type: 1, components: [{ type: 4, custom_id: 'keyPoints', value: '' }] },
      ],
    });
    const ack = await fake.waitFor('ack', () => fake.calls.find((c) => c.method === 'PATCH' && c.path.includes(submit.token)));
    expect(ack.body.content).toMatch(/Your question “What is a Bloom filter\?” \(s1\) waits for an admin/);
    const list = fake.interaction(2, alice, slash('quizadmin', [], 'suggestions'), { permissions: ADMIN });
    const l = await fake.waitFor('list', () => fake.calls.find((c) => c.method === 'PATCH' && c.path.includes(list.token)));
    expect(l.body.content).toMatch(/s1 — “What is a Bloom filter\?” by bob/);
    fake.interaction(
      2,
      alice,
      slash(
        'quizadmin',
        [
          { name: 'id', value: 's1' },
          { name: 'topics', value: 'bloom-filter, data-structures' },
          { name: 'level', value: 'senior' },
        ],
        'approve',
      ),
      { permissions: ADMIN },
    );
    await fake.waitFor('approved', () =>
      fake.posted(fake.channelId).find((m) => /joins this server’s questions: topics bloom-filter, data-structures, senior/.test(m.content ?? '')),
    );
    // bob is told in a DM.
    await fake.waitFor('dm', () => fake.calls.find((c) => c.method === 'POST' && /was approved/.test(c.body?.content ?? '')));
    fake.interaction(2, carol, slash('quiz', [{ name: 'topic', value: 'bloom-filter' }]));
    const post = await fake.waitFor('post', () => fake.posted(fake.channelId).find((m) => m.embeds?.[0]?.title === '🧪 Practice: What is a Bloom filter?'));
    expect(post.embeds[0].footer.text).toBe('Asked for by carol · suggested by bob');
    // A schedule limited to its topic posts it as the question of the day; the reveal grades it.
    await app.scheduling.update(channel, { cron: '0 9 * * *', timezone: 'UTC', topics: ['bloom-filter'] });
    const daily = await app.scheduling.postNow(channel);
    expect(daily.question.id).toBe('what-is-a-bloom-filter');
    const thread = (await app.store.getRound(daily.round.id))!.threadRef!;
    fake.userMessage(thread, alice, sample);
    await waitAnswers(app, daily.round.id, 1);
    await app.quiz.reveal(daily.round.id);
    const reveal = fake.posted(thread).map(messageText).join('\n');
    expect(reveal).toMatch(/\*\*alice\*\*: \d+ pts, \d\/\d key points/);
  }, 30_000);
});
