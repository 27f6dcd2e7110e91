/**
 * Round ids carry their server: `<platform>.<server>.<suffix>`. Any process can find a round's
 * Redis keys (all under the server's hash tag) from its id alone, with no global locator key —
 * which a Redis Cluster could not touch in the same script. Ids contain no ':' and are never all
 * digits, so they are valid BullMQ job ids; they stay under ~70 characters for Discord custom ids.
 */
import { createHash, randomUUID } from 'node:crypto';
import { channelKey, type ChannelRef, type PlatformName } from '../types.js';

const PLATFORMS: readonly PlatformName[] = ['console', 'discord', 'slack'];

function encodePart(s: string): string {
  return encodeURIComponent(s).replace(/\./g, '%2E');
}

function prefix(c: { platform: PlatformName; serverId: string }): string {
  return `${c.platform}.${encodePart(c.serverId)}`;
}

export function channelHash(channel: ChannelRef): string {
  return createHash('sha256').update(channelKey(channel)).digest('hex').slice(0, 16);
}

/** Deterministic id of the round for one channel and cron slot. */
export function slotRoundId(channel: ChannelRef, slotMs: number): string {
  return `${prefix(channel)}.s${channelHash(channel)}-${slotMs}`;
}

/** A fresh id for a practice round. */
export function practiceRoundId(channel: ChannelRef): string {
  return `${prefix(channel)}.p${randomUUID().replace(/-/g, '').slice(0, 20)}`;
}

/** The server a round id belongs to, or null for an id quizbot did not make. */
export function serverOfRoundId(id: string): { platform: PlatformName; serverId: string } | null {
  const parts = id.split('.');
  if (parts.length !== 3) return null;
  const platform = parts[0] as PlatformName;
  if (!PLATFORMS.includes(platform) || !parts[1] || !parts[2]) return null;
  try {
    return { platform, serverId: decodeURIComponent(parts[1]) };
  } catch {
    return null;
  }
}

/** A short platform nonce (Discord allows 25 characters) for one message of a round. */
export function messageNonce(roundId: string, part: string): string {
  return createHash('sha256').update(`${roundId}#${part}`).digest('hex').slice(0, 25);
}
