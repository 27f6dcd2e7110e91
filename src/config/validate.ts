/** Validators shared by configuration and admin commands. */

export function isValidTimezone(tz: string): boolean {
  if (!tz || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    // Intl accepts some legacy aliases and offsets ("+01:00"); require an IANA-looking name.
    return /^(UTC|GMT|[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+)$/.test(tz);
  } catch {
    return false;
  }
}
