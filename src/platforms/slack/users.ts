/** Members as Slack knows them: display name and admin rights from users.info, cached briefly. */
import type { App as BoltApp } from '@slack/bolt';
import type { Logger } from '../../core/ports.js';
import type { Member } from '../../core/types.js';
import { ADMIN_CACHE_MS } from './client.js';

/** `who(team, user)`: admins are workspace admins and owners, plus SLACK_ADMIN_USERS. */
export function slackMembers(
  bolt: BoltApp,
  tokenFor: (teamId: string) => Promise<string>,
  logger: Logger,
  adminUsers: readonly string[],
): (teamId: string, userId: string) => Promise<{ member: Member; admin: boolean }> {
  const users = new Map<string, { member: Member; admin: boolean; at: number }>();
  return async (teamId: string, userId: string): Promise<{ member: Member; admin: boolean }> => {
    const cached = users.get(`${teamId}:${userId}`);
    if (cached && Date.now() - cached.at < ADMIN_CACHE_MS) return cached;
    let member: Member = { id: userId, name: userId };
    let admin = false;
    try {
      const r = await bolt.client.users.info({ token: await tokenFor(teamId), user: userId });
      const u = r.user;
      member = { id: userId, name: u?.profile?.display_name || u?.real_name || u?.name || userId };
      admin = Boolean(u?.is_admin || u?.is_owner);
    } catch (err) {
      logger.warn('users.info failed', { user: userId, err: (err as Error).message });
    }
    const entry = { member, admin: admin || adminUsers.includes(userId), at: Date.now() };
    users.set(`${teamId}:${userId}`, entry);
    return entry;
  };
}
