/**
 * The welcome when quizbot joins a server or a channel: once per place, across replicas and
 * restarts (a claim in Redis), whatever the platform. The wording is TEXTS.welcome.
 */
import type { PlatformFacade } from '../facade.js';

/** How long a place stays "welcomed" (re-adding quizbot years later greets again). */
const WELCOME_CLAIM_MS = 10 * 365 * 86_400_000;

/** True for exactly one caller per place: that one posts the welcome. */
export function claimWelcome(core: Pick<PlatformFacade, 'claimOnce'>, platform: string, ...place: string[]): Promise<boolean> {
  return core.claimOnce(`welcome:${platform}:${place.join(':')}`, WELCOME_CLAIM_MS);
}
