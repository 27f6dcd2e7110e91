/**
 * Failpoints: named places in a round's life where a process can kill itself on purpose
 * (QUIZBOT_FAILPOINTS=name[,name…], SIGKILL) so tests and the soak script can prove that a crash
 * at any step costs nothing. Unset in production: the hook is a no-op.
 */
export const FAILPOINTS = [
  'post.before-send',
  'post.after-send',
  'post.after-thread',
  'reveal.after-close',
  'reveal.after-score',
  'reveal.before-send',
  'reveal.after-send',
] as const;

export type Failpoint = (typeof FAILPOINTS)[number];
