/** Validators shared by configuration and admin commands. */

import { isTimezone } from '../core/schedule.js';

/** The commands' own grammar: a zone QUIZBOT_TIMEZONE accepts is one /quiz schedule accepts. */
export function isValidTimezone(tz: string): boolean {
  return isTimezone(tz);
}
