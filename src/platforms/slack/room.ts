/** What every Slack handler works with: the Bolt app, the core's facade, the chat port, tokens and members. */
import type { AckBudget } from '../ack-budget.js';
import type { App as BoltApp } from '@slack/bolt';
import type { PlatformFacade } from '../../core/facade.js';
import type { ChatPort, Logger } from '../../core/ports.js';
import type { Member } from '../../core/types.js';

export interface SlackRoom {
  bolt: BoltApp;
  core: PlatformFacade;
  chat: ChatPort;
  logger: Logger;
  tokenFor: (teamId: string) => Promise<string>;
  /** A member's display name and whether they are a workspace admin (cached for 5 minutes). */
  who: (teamId: string, userId: string) => Promise<{ member: Member; admin: boolean }>;
  /** The ✅ reactions' own budget (skipped beyond it). */
  acks: AckBudget;
}
