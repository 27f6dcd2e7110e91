/** A client destroyed between two gateway connections stays destroyed (shards.ts destroyForGood). */
import { Client, GatewayIntentBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { destroyForGood } from '../../../src/platforms/discord/shards.js';
import { FAKE_DISCORD_TOKEN, FakeDiscord } from '../../fakes/discord.js';
import { waitFor } from '../../helpers/wait.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => undefined);
});

describe('destroyForGood', () => {
  it('GIVEN a session closed resumably and the client destroyed before it reconnects THEN no connection is opened again', async () => {
    const fake = new FakeDiscord();
    await fake.start();
    cleanup.push(() => fake.stop());
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: fake.apiUrl },
      ws: { buildIdentifyThrottler: () => Promise.resolve({ waitForIdentify: async () => {} }) },
    });
    cleanup.push(() => client.destroy());
    await client.login(FAKE_DISCORD_TOKEN);
    await waitFor('the client to be ready', async () => client.isReady());
    expect(fake.connections).toBe(1);

    // @discordjs/ws answers a resumable close by waiting 500 ms, idle, then reconnecting: the
    // client is destroyed inside that wait (as a process fenced out of its shard does).
    const manager = (client.ws as unknown as { _ws: { once(event: string, fn: () => void): void } })._ws;
    const closed = new Promise<void>((resolve) => manager.once('closed', () => setTimeout(resolve, 50)));
    fake.closeConnections(4000, 'Session resumed elsewhere');
    await closed;
    await destroyForGood(client);

    await new Promise((r) => setTimeout(r, 2_000));
    expect(fake.connections).toBe(1);
    expect(fake.sessionsPerShard().size).toBe(0);
  });
});
