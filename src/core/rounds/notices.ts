/**
 * A notice (a recap, a reminder) sent exactly once: a lease on its key, `sending` recorded before
 * the platform call and `sent` after it. An attempt that finds `sending` resumes — the platform
 * adapter looks for the message already sent under the notice's key first — so replicas, retries
 * and a crash between the platform call and recording it never send a notice twice.
 */
import { RoundBusyError } from '../text/errors.js';
import { withLease } from './leases.js';
import type { ChatPort, Clock, LockStore, NoticeContent } from '../ports.js';
import { channelKey, type ChannelRef } from '../types.js';

const NOTICE_TTL_MS = 400 * 86_400_000;
const LEASE_MS = 60_000;
/** How far back a resumed attempt looks for what an earlier one sent (jobs retry within it). */
const LOOKBACK_MS = 86_400_000;

export type NoticeOutcome = 'sent' | 'already-sent' | 'nothing-to-send';

/**
 * Sends the notice `key` once. `build` runs under the lease and may return null (nothing to say:
 * recorded as done, so no later attempt sends it either).
 */
export async function sendNoticeOnce(
  deps: { store: LockStore; chat: ChatPort; clock: Clock },
  channel: ChannelRef,
  threadRef: string | null,
  key: string,
  holder: string,
  build: () => Promise<NoticeContent | null>,
): Promise<NoticeOutcome> {
  const { store, chat, clock } = deps;
  const server = { platform: channel.platform, serverId: channel.serverId };
  if ((await store.noticeState(server, key)) === 'sent') return 'already-sent';
  const lease = { name: `notice:${channelKey(channel)}:${key}`, holder, ttlMs: LEASE_MS };
  return withLease(
    store,
    lease,
    () => new RoundBusyError(key, 'another worker', LEASE_MS),
    async () => {
      const state = await store.noticeState(server, key);
      if (state === 'sent') return 'already-sent';
      const view = await build();
      if (!view) {
        await store.setNoticeState(server, key, 'sent', NOTICE_TTL_MS);
        return 'nothing-to-send';
      }
      await store.setNoticeState(server, key, 'sending', NOTICE_TTL_MS);
      await chat.sendNotice(channel, threadRef, { ...view, key }, { resume: state === 'sending', sinceMs: clock.now() - LOOKBACK_MS });
      await store.setNoticeState(server, key, 'sent', NOTICE_TTL_MS);
      return 'sent';
    },
  );
}
