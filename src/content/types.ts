/**
 * The question bank's vocabulary. A Question is one curated file in content/questions/; the
 * core (rounds, scoring) and the adapters only ever see this shape.
 */
export type Level = 'junior' | 'mid' | 'senior';
export type Kind = 'technical' | 'behavioural';

export const LEVELS: readonly Level[] = ['junior', 'mid', 'senior'];
export const KINDS: readonly Kind[] = ['technical', 'behavioural'];

/**
 * Something an interviewer checks for. An answer covers it with one of its `phrases` un-negated or
 * one of its `negated` phrases negated; one of its `counter` phrases (a misconception) voids it.
 * Bonus points add credit but are not needed for full quality.
 */
export interface KeyPoint {
  id: string;
  point: string;
  phrases: string[];
  negated?: string[];
  counter?: string[];
  bonus?: boolean;
  /** Drafted from the sample answer of a member's suggestion (no editor wrote it). */
  drafted?: boolean;
}

/** A seed passage this question was curated from: file name and position in it. */
export interface SourceRef {
  seed: string;
  position: number;
}

export interface SampleAnswer {
  /** `<seed file>#<position>` the answer comes from; null for answers written by the editors. */
  source: string | null;
  /** Title of the source document (content/documents.yaml), shown as the credit; null if unknown. */
  sourceTitle?: string | null;
  text: string;
}

export interface Question {
  id: string;
  title: string;
  /** Lowercase tags; the first is the primary topic. */
  topics: string[];
  aliases: string[];
  level: Level;
  kind: Kind;
  sources: SourceRef[];
  keyPoints: KeyPoint[];
  /** The question as posted. */
  prompt: string;
  /** What interviewers look for (shown at the reveal). */
  lookFor: string;
  sampleAnswers: SampleAnswer[];
  editorNote: string | null;
  /** The member who suggested it (approved suggestions): credited in the post. */
  author?: { id: string; name: string } | null;
  /** Path of the file it was loaded from, for error messages. */
  file: string;
}

/**
 * Why an answer earned less than its coverage: `empty`/`too-short` earn nothing, `echo` (the
 * question pasted back) earns no quality, `keyword-salad` (a bare list of terms) a tenth,
 * `no-example` (a behavioural question answered with no concrete detail) a quarter,
 * `off-topic` (a long answer sharing only chance words with every reference) less, down to nothing,
 * `overclaims` (dense with absolutes: always, never, only, automatically) less, down to 0.3 of it.
 */
export type GradeFlag = 'empty' | 'too-short' | 'echo' | 'keyword-salad' | 'no-example' | 'off-topic' | 'overclaims' | 'copied' | 'own-question' | 'no-text';

export interface GradeResult {
  covered: KeyPoint[];
  missed: KeyPoint[];
  /** covered / all key points, in [0, 1]. */
  coverage: number;
  /** coverage after the flags' penalties, in [0, 1]. */
  quality: number;
  flags: GradeFlag[];
  /** Per covered point id: the answer's words that earned it. */
  evidence?: Record<string, string>;
  /** Points the answer touched but did not earn, and why (negated, contradicted). */
  voided?: { id: string; why: string }[];
}
