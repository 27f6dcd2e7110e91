/**
 * Behaviours a seeded mutation once survived, and the commands that must say the right thing:
 * a lease released only by its holder, content reloading, Slack event_id dedupe, time zone
 * suggestions, topic filters checked against the bank, one group name for every verb.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config/env.js';
import { watchContent } from '../src/content/watch.js';
import { silentLogger } from '../src/core/ports.js';
import type { ChannelRef } from '../src/core/types.js';
import { closeTestStores, RecordingChat } from './helpers/core.js';
import { newNamespace, redisUrl, testRedisHandle } from './helpers/redis.js';

const apps: App[] = [];
const temps: string[] = [];
afterAll(async () => {
  for (const a of apps) await a.close();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
  await closeTestStores();
});

const channel: ChannelRef = { platform: 'console', serverId: 'local', channelId: 'general' };
const admin = { id: 'admin', name: 'admin' };

async function app(): Promise<App> {
  const redis = testRedisHandle();
  const a = await createApp({ config: loadConfig({ REDIS_URL: redisUrl(), REDIS_PREFIX: newNamespace('ops') }), logger: silentLogger, redis });
  a.onClose(() => redis.close());
  a.chat.register('console', new RecordingChat());
  apps.push(a);
  return a;
}

describe('a round lease', () => {
  it('GIVEN another holder releases it THEN it stays held; only its holder frees it', async () => {
    const a = await app();
    const { round } = await a.quiz.startRound(channel, { mode: 'practice', topic: 'cap' });
    expect(await a.store.claimRound(round.id, 'worker-a', 60_000)).toEqual({ ok: true });
    await a.store.releaseRound(round.id, 'worker-b');
    expect((await a.store.claimRound(round.id, 'worker-c', 60_000)).ok).toBe(false);
    await a.store.releaseRound(round.id, 'worker-a');
    expect(await a.store.claimRound(round.id, 'worker-c', 60_000)).toEqual({ ok: true });
  });
});

describe('content reload', () => {
  it('GIVEN a question file edited on disk THEN the watcher loads the new bank; a broken edit keeps the old one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qb-watch-'));
    temps.push(dir);
    cpSync(new URL('../content', import.meta.url).pathname, dir, { recursive: true });
    const banks: string[] = [];
    const w = await watchContent((b) => banks.push(b.get('acid')!.title), silentLogger, dir, '0 0 1 1 *');
    const file = join(dir, 'questions', 'acid.md');
    const src = readFileSync(file, 'utf8');
    writeFileSync(file, src.replace(/^title: .*$/m, 'title: "ACID, reloaded"'));
    expect(await w.check()).toBe(true);
    expect(banks).toEqual(['ACID, reloaded']);
    writeFileSync(file, src.replace(/^level: .*$/m, 'level: expert'));
    expect(await w.check()).toBe(false);
    expect(banks).toHaveLength(1);
    w.stop();
  });
});

describe('commands that say the right thing', () => {
  it('GIVEN a bare CET THEN the schedule error names the time zone and suggests Europe/Paris', async () => {
    const a = await app();
    const r = await a.commands.run({ channel, member: admin, isAdmin: true }, 'schedule set 0 9 * * 1-5 CET');
    expect(r.kind === 'text' && r.text).toMatch(/“CET” is not an IANA time zone; did you mean Europe\/Paris\?/);
    const city = await a.commands.run({ channel, member: admin, isAdmin: true }, 'schedule set 0 9 * * 1-5 Europe/Berln');
    expect(city.kind === 'text' && city.text).toMatch(/did you mean Europe\/Berlin\?/);
  });

  it('GIVEN a topic filter the bank does not have THEN it is refused and nothing is saved', async () => {
    const a = await app();
    const bad = await a.commands.run({ channel, member: admin, isAdmin: true }, 'schedule topics nosuchtopic');
    expect(bad.kind === 'text' && bad.error && bad.text).toMatch(/No question has the topic “nosuchtopic”/);
    expect(await a.scheduling.stored(channel)).toBeNull();
    const ok = await a.commands.run({ channel, member: admin, isAdmin: true }, 'schedule topics cap,acid');
    expect(ok.kind === 'text' && !ok.error).toBe(true);
    expect((await a.scheduling.stored(channel))!.topics).toEqual(['cap', 'acid']);
  });

  it('GIVEN "Platform Team" THEN create, join, show and the group board all mean the same group', async () => {
    const a = await app();
    const alice = { id: 'alice', name: 'alice' };
    const bob = { id: 'bob', name: 'bob' };
    const c = await a.commands.run({ channel, member: alice, isAdmin: false }, 'group create "Platform Team"');
    expect(c.kind === 'text' && !c.error && c.text).toMatch(/platform-team/);
    const j = await a.commands.run({ channel, member: bob, isAdmin: false }, 'group join "Platform Team"');
    expect(j.kind === 'text' && !j.error).toBe(true);
    const s = await a.commands.run({ channel, member: bob, isAdmin: false }, 'group show platform-team');
    expect(s.kind === 'text' && s.text).toMatch(/2 members/);
    const lb = await a.commands.run({ channel, member: bob, isAdmin: false }, 'leaderboard group "Platform Team"');
    expect(lb.kind === 'board' && lb.board.title).toMatch(/group platform-team/);
  });
});
