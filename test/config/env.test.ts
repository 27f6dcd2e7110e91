import { FAKE_DISCORD_TOKEN as TOKEN } from '../fakes/discord.js';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDuration } from '../../src/config/env.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('loadConfig', () => {
  it('GIVEN no variables THEN the console defaults apply (embedded Redis, UTC, no platforms)', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ redisUrl: undefined, defaultTimezone: 'UTC', logLevel: 'info', discord: undefined, slack: undefined });
  });

  it('GIVEN a bad time zone THEN the message names the variable and shows a valid example', () => {
    const [p] = problems({ QUIZBOT_TIMEZONE: 'Mars/Olympus' });
    expect(p).toMatch(/^QUIZBOT_TIMEZONE: expected an IANA time zone such as Europe\/Berlin/);
  });

  it('GIVEN several bad values THEN each is reported on its own line', () => {
    const ps = problems({ LOG_LEVEL: 'loud', REDIS_URL: 'not a url', PORT: 'eighty' });
    expect(ps.map((p) => p.split(':')[0])).toEqual(expect.arrayContaining(['LOG_LEVEL', 'REDIS_URL', 'PORT']));
  });

  it('GIVEN a secret with a bad shape THEN its value is never echoed', () => {
    const ps = problems({ SLACK_BOT_TOKEN: 'xoxp-user-token-secret', SLACK_APP_TOKEN: 'xapp-1' });
    expect(ps.join('\n')).toMatch(/SLACK_BOT_TOKEN: expected a bot token starting with xoxb-/);
    expect(ps.join('\n')).not.toContain('secret');
  });

  it('GIVEN DISCORD_TOKEN without an application id THEN start-up is refused', () => {
    expect(problems({ DISCORD_TOKEN: TOKEN })).toEqual(['DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set']);
    // A token of the wrong shape is refused at start, with what is expected and never the value.
    const bad = problems({ DISCORD_TOKEN: 'abc', DISCORD_APPLICATION_ID: '123456789012345678' });
    expect(bad).toEqual([expect.stringMatching(/^DISCORD_TOKEN: expected the bot token from the Developer Portal/)]);
    expect(bad.join()).not.toContain('abc');
    expect(problems({ DISCORD_TOKEN: `Bot ${TOKEN}`, DISCORD_APPLICATION_ID: '123456789012345678' })).toEqual([
      'DISCORD_TOKEN: expected the token alone, without the “Bot ” prefix',
    ]);
  });

  it('GIVEN Slack Socket Mode tokens THEN socket mode is selected', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(c.slack?.mode).toBe('socket');
  });

  it('GIVEN a signing secret and OAuth credentials THEN HTTP mode with OAuth is selected', () => {
    const c = loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_CLIENT_ID: 'id', SLACK_CLIENT_SECRET: 'cs', SLACK_STATE_SECRET: 'st', PORT: '8080' });
    expect(c.slack).toMatchObject({ mode: 'http', port: 8080, oauth: { clientId: 'id' } });
  });

  it('GIVEN durations THEN they parse to milliseconds', () => {
    expect(parseDuration('8h')).toBe(8 * 3600_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(problems({ QUIZBOT_PRACTICE_REVEAL: 'soon' })[0]).toMatch(/expected manual \(wait for \/quiz reveal\) or a duration such as 15m/);
    expect(problems({ QUIZBOT_PRACTICE_REVEAL: '1ms' })[0]).toMatch(/between 1m and 7d/);
    expect(problems({ QUIZBOT_FAILPOINTS: 'post.nowhere' })[0]).toMatch(/unknown failpoint “post.nowhere”/);
    expect(loadConfig({ QUIZBOT_PRACTICE_REVEAL: 'manual' }).practiceRevealMs).toBeNull();
    expect(loadConfig({}).practiceRevealMs).toBe(15 * 60_000);
  });

  it('GIVEN Discord shard settings THEN counts, auto and id lists are read, and ids beyond the count refused', () => {
    const base = { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: '123456789012345678' };
    expect(loadConfig(base).discord).toMatchObject({ shards: 1, shardIds: null, shardLeaseMs: 30_000 });
    expect(loadConfig({ ...base, DISCORD_SHARDS: 'auto' }).discord?.shards).toBe('auto');
    expect(loadConfig({ ...base, DISCORD_SHARDS: '8', DISCORD_SHARD_IDS: '0,2, 4-6' }).discord?.shardIds).toEqual([0, 2, 4, 5, 6]);
    expect(problems({ ...base, DISCORD_SHARDS: '4', DISCORD_SHARD_IDS: '3-4' })[0]).toMatch(/DISCORD_SHARD_IDS: expected ids below DISCORD_SHARDS \(4\)/);
    expect(problems({ ...base, DISCORD_SHARDS: 'many' })[0]).toMatch(/DISCORD_SHARDS: expected auto/);
    expect(problems({ ...base, DISCORD_SHARD_IDS: '2-1' })[0]).toMatch(/expected shard ids such as 0,1 or 0-3/);
  });
});
