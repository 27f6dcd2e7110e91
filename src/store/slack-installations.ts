/** Slack OAuth installations in Redis, for HTTP mode serving many workspaces. */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { RedisClient } from './topology.js';
import { createKeys, type Keys } from './keys.js';

export class RedisInstallationStore implements InstallationStore {
  private readonly keys: Keys;

  constructor(
    private readonly redis: RedisClient,
    namespace = 'qb',
  ) {
    this.keys = createKeys(namespace);
  }

  private id(q: { isEnterpriseInstall?: boolean; enterpriseId?: string | undefined; teamId?: string | undefined }): string {
    const id = q.isEnterpriseInstall ? q.enterpriseId : q.teamId;
    if (!id) throw new Error('Slack installation without a team or enterprise id');
    return q.isEnterpriseInstall ? `E:${id}` : `T:${id}`;
  }

  async storeInstallation(installation: Installation): Promise<void> {
    const key = this.id({
      isEnterpriseInstall: installation.isEnterpriseInstall ?? false,
      enterpriseId: installation.enterprise?.id,
      teamId: installation.team?.id,
    });
    await this.redis.set(this.keys.slackInstall(key), JSON.stringify(installation));
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const raw = await this.redis.get(this.keys.slackInstall(this.id(query)));
    if (!raw) throw new Error(`quizbot is not installed in Slack workspace ${query.teamId ?? query.enterpriseId}`);
    return JSON.parse(raw) as Installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.redis.del(this.keys.slackInstall(this.id(query)));
  }
}
