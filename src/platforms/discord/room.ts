/** What every Discord handler works with: the facade, the chat port, the configuration. */
import type { DiscordConfig } from '../../config/env.js';
import type { PlatformFacade } from '../../core/facade.js';
import type { Logger } from '../../core/ports.js';
import type { DiscordChat } from './chat.js';

export interface DiscordRoom {
  core: PlatformFacade;
  chat: DiscordChat;
  cfg: DiscordConfig;
  logger: Logger;
  /** One-off notices already given by this process (the no-content notice). */
  noticed: Set<string>;
  /** false: IDENTIFY without waiting for a shared slot (tests against a fake gateway). */
  identifyThrottle: boolean;
}
