/**
 * What users see, decided once: the view models of a question post, a reveal and a leaderboard.
 * Every user-facing sentence of these three is built here; the Discord, Slack and console
 * renderers only choose markup (bold, quotes, embeds, blocks) and split to fit their limits.
 * So the console shows the same reveal wording as Discord and Slack.
 */
import { neutralTopic } from '../../content/grading.js';
import type { GradeFlag } from '../../content/types.js';
import type { NoticeContent, QuestionPost, RevealView } from '../ports.js';
import type { Board, BoardEntry, BoardScope, Member, Round } from '../types.js';

/** The public part of a leaderboard: the top entries only. */
export const BOARD_PUBLIC_ROWS = 10;

export interface QuestionViewModel {
  roundId: string;
  practice: boolean;
  /** "Question of the day: The CAP theorem" / "Practice: The CAP theorem". */
  heading: string;
  title: string;
  prompt: string;
  /**
   * "distributed-systems · mid · technical": one neutral topic at most — never a tag whose words
   * the key points reward (the post does not hand out the answer's terms).
   */
  meta: string;
  topics: string[];
  level: string;
  kind: string;
  /** When the reveal is due (renderers show it in each reader's zone); null: an admin reveals. */
  revealAt: number | null;
  /** Shown instead of a time when revealAt is null. */
  manualReveal: string;
  howToAnswer: string;
  answerButton: string;
  /** "Asked for by alice" or "Round 2026-11-23". */
  footer: string;
  threadName: string;
  /** Set once the round is revealed: the question message then drops its button and says so. */
  revealedNote: string | null;
  /**
   * The channel's opt-in notify role (Discord role id, Slack user group id, console name) to
   * mention with a scheduled question — the only mention quizbot ever sends. Null: nobody.
   */
  mention: string | null;
  /** How members opt in or out, shown next to the mention. */
  notifyHint: string;
}

export interface AnswerView {
  name: string;
  /** "alice (answered privately)" */
  who: string;
  /** "12 pts, 3/5 key points" */
  score: string;
  /** The answer text for private answers (public ones are already in the thread). */
  quote: string | null;
  covered: string[];
  missed: string[];
  /** The grader's flags as sentences. */
  notes: string[];
}

export interface SampleAnswerView {
  heading: string;
  text: string;
  /** "Source: Back-end Engineer Interview Questions"; null for answers written by the editors. */
  credit: string | null;
}

export interface RevealViewModel {
  roundId: string;
  title: string;
  /** "Reveal: The CAP theorem" */
  heading: string;
  samples: SampleAnswerView[];
  editorNoteHeading: string;
  editorNote: string | null;
  keyPointsHeading: string;
  keyPoints: string[];
  answersHeading: string;
  answers: AnswerView[];
  /** "Nobody answered this time." when there are no answers. */
  empty: string | null;
  closing: string;
}

export interface BoardRowView {
  rank: number;
  name: string;
  points: number;
  /** "52 pts" */
  pointsText: string;
  /** "1. alice — 52 pts" without markup. */
  line: string;
}

export interface BoardViewModel {
  title: string;
  rows: BoardRowView[];
  empty: string | null;
}

/** The caller's own place, sent only to the caller. */
export interface CallerRankView {
  text: string;
}

/**
 * The grader's flags as sentences people understand (raw ids never reach users). Every flag but
 * `empty` has one: a flag added to the grader without a sentence does not compile.
 */
export const FLAG_SENTENCES: Readonly<Record<Exclude<GradeFlag, 'empty'>, string>> = {
  'too-short': 'Too short to score: a sentence or two of explanation earns points.',
  'keyword-salad': 'Names the key terms without saying what they do; explaining what each does and how they fit together scores more.',
  'no-example': 'Names no concrete detail: say where it was, what you did and what changed (a number, a system’s name).',
  'off-topic': 'Reads as an answer to another question: it shares little with what this one asks, so the key terms it touches earn less.',
  overclaims: 'Speaks in absolutes (always, never, only, automatically): most backend answers depend on something, so say when a claim holds.',
  echo: 'Mostly repeats the question, so it earns no quality points.',
  copied: 'Mostly the same as an earlier answer in this thread, so it earns participation only.',
  'own-question': 'Suggested this question and wrote its sample answer, so it earns participation only.',
  'no-text': 'The platform did not give quizbot this answer’s text (Discord’s Message Content intent is off), so it earns participation only.',
};

export function flagSentence(flag: string): string | null {
  if (flag === 'empty') return null;
  return (FLAG_SENTENCES as Readonly<Record<string, string>>)[flag] ?? 'The grader lowered this answer’s score.';
}

export function questionView(post: QuestionPost, opts: { revealed?: boolean } = {}): QuestionViewModel {
  const { round, question: q } = post;
  const practice = round.mode === 'practice';
  const topic = neutralTopic(q);
  return {
    roundId: round.id,
    practice,
    heading: `${practice ? 'Practice' : 'Question of the day'}: ${q.title}`,
    title: q.title,
    prompt: q.prompt,
    meta: [topic, q.level, q.kind].filter(Boolean).join(' · '),
    topics: topic ? [topic] : [],
    level: q.level,
    kind: q.kind,
    revealAt: round.revealAt,
    manualReveal: practice ? 'Revealed when the member who asked for it (or an admin) runs /quiz reveal.' : 'Revealed when an admin runs /quiz reveal.',
    howToAnswer:
      'Answer in the thread, or privately with the button (hidden until the reveal).' +
      // (Behavioural questions are graded on the story as well as the technique: say so up front.)
      (q.kind === 'behavioural' ? ' Answer with an example from your own work: the situation, what you did, and the result.' : ''),
    answerButton: 'Answer privately',
    footer: [post.requestedBy ? `Asked for by ${post.requestedBy.name}` : `Round ${round.localDate}`, q.author ? `suggested by ${q.author.name}` : '']
      .filter(Boolean)
      .join(' · '),
    threadName: q.title,
    revealedNote: opts.revealed ? 'Revealed: the sample answer and everyone’s feedback are in the thread.' : null,
    mention: practice || opts.revealed ? null : (post.mention ?? null),
    notifyHint: 'Pinged because you opted in: /quiz notify off stops it.',
  };
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A lead time as members read it: 3_600_000 → "1 h", 5_400_000 → "1 h 30 min" (at least "1 min"). */
export function durationText(ms: number): string {
  const min = Math.max(1, Math.round(ms / 60_000));
  const h = Math.floor(min / 60);
  const m = min % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ');
}
/** A text cut to `max` characters, an ellipsis marking the cut. */
export const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const clipEvidence = (s: string) => clip(s, 120);

export function revealViewModel(view: RevealView): RevealViewModel {
  const { question: q, feedback } = view;
  const many = q.sampleAnswers.length > 1;
  return {
    roundId: view.round.id,
    title: q.title,
    heading: `Reveal: ${q.title}`,
    samples: q.sampleAnswers.map((a, i) => {
      const title = a.sourceTitle ?? null;
      return { heading: many ? `Sample answer ${i + 1}` : 'Sample answer', text: a.text, credit: title ? `Source: ${title}` : null };
    }),
    editorNoteHeading: 'Editor’s note',
    editorNote: q.editorNote,
    keyPointsHeading: q.keyPoints.some((k) => k.drafted) ? 'Key points (drafted from the sample answer)' : 'Key points',
    keyPoints: q.keyPoints.map((k) => k.point),
    answersHeading: 'Your answers',
    answers: feedback.map((f) => ({
      name: f.member.name,
      who: f.private ? `${f.member.name} (answered privately)` : f.member.name,
      score: `${plural(f.points, 'pt')}${f.adjusted ? ' (set by an admin)' : ''}, ${f.covered.length}/${f.covered.length + f.missed.length} key points`,
      quote: f.private ? f.text : null,
      covered: f.covered.map((k) => (f.evidence?.[k.id] ? `${k.point} — you wrote “${clipEvidence(f.evidence[k.id]!)}”` : k.point)),
      missed: f.missed.map((k) => {
        const why = f.voided?.find((v) => v.id === k.id)?.why;
        return why ? `${k.point} — ${why}` : k.point;
      }),
      notes: f.flags.map(flagSentence).filter((s): s is string => s !== null),
    })),
    empty: feedback.length === 0 ? 'Nobody answered this time.' : null,
    closing: 'The thread stays open for discussion.',
  };
}

export function scopeTitle(scope: BoardScope): string {
  switch (scope.kind) {
    case 'channel':
      return 'this channel';
    case 'server':
      return 'the whole server';
    case 'practice':
      return 'practice questions';
    case 'group':
      return `group ${scope.group}`;
  }
}

/** The public board: at most BOARD_PUBLIC_ROWS rows, never the caller's row appended. */
export function boardView(board: Board): BoardViewModel {
  const when = board.period === 'all' ? 'all time' : board.period === 'week' ? `week ${board.periodKey}` : board.periodKey;
  const rows = board.top.slice(0, BOARD_PUBLIC_ROWS).map((e) => ({
    rank: e.rank,
    name: e.name,
    points: e.points,
    pointsText: plural(e.points, 'pt'),
    line: `${e.rank}. ${e.name} — ${plural(e.points, 'pt')}`,
  }));
  return { title: `Leaderboard — ${scopeTitle(board.scope)}, ${when}`, rows, empty: rows.length === 0 ? 'No points yet.' : null };
}

/** The caller's own rank on a board, for the caller only (null when it adds nothing). */
export function callerRankView(board: Board, member: Member): CallerRankView {
  const me: BoardEntry | null = board.caller;
  if (!me) return { text: `You have no points on this board yet, ${member.name}. Answer the next question to get on it.` };
  const shown = board.top.slice(0, BOARD_PUBLIC_ROWS).some((e) => e.memberId === me.memberId);
  return {
    text: shown
      ? `You are #${me.rank} with ${plural(me.points, 'pt')}.`
      : `You are #${me.rank} with ${plural(me.points, 'pt')}, outside the top ${BOARD_PUBLIC_ROWS}.`,
  };
}

/** The thread's reminder before the reveal (words here; platforms only format it). */
export function reminderView(round: Round, answers: number, now: number): NoticeContent {
  const left = durationText((round.revealAt ?? now) - now);
  return {
    kind: 'reminder',
    title: `⏳ ${left} left — ${answers === 0 ? 'no answers yet' : `${plural(answers, 'answer')} so far`}`,
    lines: ['The sample answer and your feedback come at the reveal. Not answered yet? Reply in this thread, or answer privately with the button.'],
  };
}
