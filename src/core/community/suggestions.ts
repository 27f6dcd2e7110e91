/**
 * Members' questions: `/quiz suggest` (a form on Discord and Slack; `title | question | sample
 * answer [| key point; key point…]` on the console) queues a suggestion per server; admins list
 * (`/quiz suggestions`), approve (`/quiz approve <id> [title=…] [topics=a,b] [level=…]`) or reject
 * (`/quiz reject <id> <reason>`) it, and the author is told privately either way. An approved
 * question is rendered as a content file, read back by the same loader and schema as content/,
 * and joins the server's own bank in Redis: schedules and `/quiz <topic>` pick it like a shipped
 * one, and its post credits the author. Limits: field lengths, 5 pending per member, duplicates
 * of existing questions (and of pending suggestions) refused.
 */
import { randomUUID } from 'node:crypto';
import { SUGGESTION_LIMITS, draftKeyPoints, slugify, suggestedKeyPoints, validateQuestion } from '../../content/authoring.js';
import type { QuestionBank } from '../../content/bank.js';
import { STOPWORDS, stem, words } from '../../content/text.js';
import { LEVELS, type Level, type Question } from '../../content/types.js';
import { QuizError } from '../text/errors.js';
import { withLease } from '../rounds/leases.js';
import type { ChatPort, Clock, LockStore, Logger, ServerRef, SuggestionRecord, SuggestionStore } from '../ports.js';
import type { ChannelRef, Member } from '../types.js';

export const MAX_PENDING_SUGGESTIONS = 5;
/** Share of shared words (title and question) above which a suggestion repeats a question. */
const DUPLICATE_SIMILARITY = 0.6;
const DEFAULT_TOPIC = 'community';

export interface SuggestionFields {
  title: string;
  question: string;
  sample: string;
  /** Key points, one per entry (empty: drafted from the sample answer at approval). */
  keyPoints: string[];
}

export interface ApprovalEdits {
  title?: string;
  topics?: string[];
  level?: Level;
  /** Key points the admin wrote (3 to 6), in place of the member's or the drafted ones. */
  keyPoints?: string[];
}

/** "a; b; c" → the key points, trimmed, empty ones dropped. */
export function splitKeyPoints(text: string): string[] {
  return text
    .split(';')
    .map((k) => k.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/** The console's `title | question | sample answer [| key point; key point…]`. */
export function parseSuggestText(text: string): SuggestionFields {
  const parts = text.split('|').map((p) => p.trim());
  if (parts.length < 3 || parts.length > 4 || parts.slice(0, 3).some((p) => !p)) throw QuizError.of('suggest-usage');
  return { title: parts[0]!, question: parts[1]!, sample: parts[2]!, keyPoints: splitKeyPoints(parts[3] ?? '') };
}

/** `title=… topics=a,b level=senior` → edits (title takes the rest of the line up to the next key). */
export function parseApprovalEdits(args: string[]): ApprovalEdits {
  const text = args.join(' ');
  const edits: ApprovalEdits = {};
  for (const m of text.matchAll(/(title|topics|level|points)=((?:(?!\s(?:title|topics|level|points)=).)+)/g)) {
    const value = m[2]!.trim().replace(/^["“](.*)["”]$/, '$1');
    if (m[1] === 'title') edits.title = value;
    else if (m[1] === 'points') edits.keyPoints = splitKeyPoints(value);
    else if (m[1] === 'topics')
      edits.topics = value
        .split(/[,\s]+/)
        .map((t) => t.toLowerCase())
        .filter(Boolean);
    else {
      if (!LEVELS.includes(value.toLowerCase() as Level)) throw QuizError.of('schedule-level', { level: value });
      edits.level = value.toLowerCase() as Level;
    }
  }
  if (text.trim() && Object.keys(edits).length === 0) throw QuizError.of('approve-usage');
  return edits;
}

/**
 * What is wrong with written key points (the form's or an admin's at approval), or null: 3 to 6 of
 * them (`countError` says so in the caller's words), each within SUGGESTION_LIMITS.keyPoint.
 */
function keyPointsError(points: readonly string[], countError: 'suggest-key-points' | 'approve-key-points'): QuizError | null {
  const L = SUGGESTION_LIMITS;
  if (points.length < 3 || points.length > L.keyPoints) return QuizError.of(countError);
  const [min, max] = L.keyPoint;
  const bad = points.find((k) => k.length < min || k.length > max);
  return bad === undefined ? null : QuizError.of('suggest-length', { field: 'key point', min, max, text: String(bad.length) });
}

function stems(text: string): Set<string> {
  return new Set(
    words(text)
      .filter((w) => !STOPWORDS.has(w) && w.length > 2)
      .map((w) => stem(w)),
  );
}

function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / Math.min(a.size, b.size);
}

/** A suggestion's fields, by the names the forms use for them. */
export type SuggestionField = 'title' | 'question' | 'sample' | 'keyPoints';

/**
 * Checks a suggestion's fields without any lookup (a form answers within Slack's 3 s): the
 * cleaned fields, and each field's error (the first per field), in form order.
 */
export function checkSuggestion(fields: SuggestionFields): { clean: SuggestionFields; errors: Partial<Record<SuggestionField, QuizError>> } {
  const L = SUGGESTION_LIMITS;
  const clean = {
    title: fields.title.replace(/\s+/g, ' ').trim(),
    question: fields.question.trim(),
    sample: fields.sample.trim(),
    keyPoints: fields.keyPoints.map((k) => k.replace(/\s+/g, ' ').trim()).filter(Boolean),
  };
  const errors: Partial<Record<SuggestionField, QuizError>> = {};
  const span = (key: SuggestionField, field: string, value: string, [min, max]: readonly [number, number]) => {
    if (!errors[key] && (value.length < min || value.length > max))
      errors[key] = QuizError.of('suggest-length', { field, min, max, text: String(value.length) });
  };
  span('title', 'title', clean.title, L.title);
  span('question', 'question', clean.question, L.question);
  span('sample', 'sample answer', clean.sample, L.sample);
  const pointsError = clean.keyPoints.length > 0 ? keyPointsError(clean.keyPoints, 'suggest-key-points') : null;
  if (pointsError) errors.keyPoints = pointsError;
  if (!errors.sample && clean.keyPoints.length === 0 && draftKeyPoints(clean.sample, `${clean.title} ${clean.question}`).length < 3)
    errors.sample = QuizError.of('suggest-sample-short');
  return { clean, errors };
}

export interface SuggestionDeps {
  store: SuggestionStore & LockStore;
  chat: ChatPort;
  clock: Clock;
  logger: Logger;
  /** The server's bank: shipped questions plus its approved ones. */
  bankFor: (server: ServerRef) => Promise<QuestionBank>;
}

const serverOf = (c: ChannelRef): ServerRef => ({ platform: c.platform, serverId: c.serverId });

export class SuggestionService {
  constructor(private readonly deps: SuggestionDeps) {}

  private check(fields: SuggestionFields): SuggestionFields {
    const { clean, errors } = checkSuggestion(fields);
    const first = Object.values(errors)[0];
    if (first) throw first;
    return clean;
  }

  /** An existing question (or pending suggestion) this one repeats, if any. */
  private async duplicateOf(server: ServerRef, f: SuggestionFields): Promise<string | null> {
    const mine = stems(`${f.title} ${f.question}`);
    const title = f.title.toLowerCase();
    const bank = await this.deps.bankFor(server);
    for (const q of bank.all()) {
      if (q.title.toLowerCase() === title || similarity(mine, stems(`${q.title} ${q.prompt}`)) >= DUPLICATE_SIMILARITY) return q.title;
    }
    for (const s of await this.deps.store.suggestions(server)) {
      if (s.status === 'pending' && (s.title.toLowerCase() === title || similarity(mine, stems(`${s.title} ${s.question}`)) >= DUPLICATE_SIMILARITY))
        return s.title;
    }
    return null;
  }

  async suggest(channel: ChannelRef, by: Member, fields: SuggestionFields): Promise<SuggestionRecord> {
    const server = serverOf(channel);
    const f = this.check(fields);
    const dup = await this.duplicateOf(server, f);
    if (dup) throw QuizError.of('suggest-duplicate', { title: dup });
    const record: Omit<SuggestionRecord, 'id'> = { by, at: this.deps.clock.now(), channel, status: 'pending', ...f, question: f.question, sample: f.sample };
    const id = await this.deps.store.addSuggestion(server, record, MAX_PENDING_SUGGESTIONS);
    if (!id) throw QuizError.of('suggest-limit', { max: MAX_PENDING_SUGGESTIONS });
    this.deps.logger.info('question suggested', { server: `${server.platform}:${server.serverId}`, id, by: by.id });
    return { ...record, id };
  }

  async pending(server: ServerRef): Promise<SuggestionRecord[]> {
    return (await this.deps.store.suggestions(server)).filter((s) => s.status === 'pending');
  }

  private async pendingOne(server: ServerRef, id: string): Promise<SuggestionRecord> {
    const s = await this.deps.store.suggestion(server, id.toLowerCase());
    if (!s) throw QuizError.of('suggestion-unknown', { text: id.slice(0, 20) });
    if (s.status !== 'pending') throw QuizError.of('suggestion-decided', { text: `${s.id} was already ${s.status}` });
    return s;
  }

  /** Builds the question, validates it as a content file, stores it in the server's bank, tells the author. */
  async approve(channel: ChannelRef, admin: Member, id: string, edits: ApprovalEdits): Promise<Question> {
    const server = serverOf(channel);
    const pointsError = edits.keyPoints ? keyPointsError(edits.keyPoints, 'approve-key-points') : null;
    if (pointsError) throw pointsError;
    return this.decide(server, id, () => this.approveLocked(server, admin, id, edits));
  }

  /** One admin at a time decides a suggestion (a lease; two approvals never both apply). */
  private async decide<T>(server: ServerRef, id: string, fn: () => Promise<T>): Promise<T> {
    const lease = { name: `suggestion:${server.platform}:${server.serverId}:${id.toLowerCase()}`, holder: randomUUID(), ttlMs: 30_000 };
    return withLease(this.deps.store, lease, () => QuizError.of('suggestion-busy'), fn);
  }

  private async approveLocked(server: ServerRef, admin: Member, id: string, edits: ApprovalEdits): Promise<Question> {
    const s = await this.pendingOne(server, id);
    const title = (edits.title ?? s.title).slice(0, SUGGESTION_LIMITS.title[1]);
    const bank = await this.deps.bankFor(server);
    const base = slugify(title);
    let qid = base;
    for (let n = 2; bank.get(qid); n++) qid = `${base}-${n}`;
    const keyPoints = suggestedKeyPoints(edits.keyPoints ?? s.keyPoints, s.sample, `${title} ${s.question}`);
    const question: Question = {
      id: qid,
      title,
      topics: edits.topics?.length ? edits.topics : [DEFAULT_TOPIC],
      aliases: [],
      level: edits.level ?? 'mid',
      kind: 'technical',
      sources: [],
      keyPoints,
      prompt: s.question,
      lookFor: '',
      sampleAnswers: [{ source: null, text: s.sample }],
      editorNote: null,
      author: { id: s.by.id, name: s.by.name },
      file: `${qid}.md`,
    };
    const checked = validateQuestion(question);
    if (!checked.question) throw QuizError.of('suggestion-invalid', { text: checked.problems[0] ?? 'invalid' });
    await this.deps.store.putServerQuestion(server, qid, checked.file);
    await this.deps.store.decideSuggestion(server, { ...s, status: 'approved', decidedBy: admin.id, questionId: qid });
    await this.deps.chat.tellMember(
      s.channel,
      s.by.id,
      `✅ Your suggested question “${title}” was approved and joins this server’s questions. Thank you! It will credit you when it is posted.`,
    );
    return checked.question;
  }

  async reject(channel: ChannelRef, admin: Member, id: string, reason: string): Promise<SuggestionRecord> {
    const server = serverOf(channel);
    if (reason.trim().length < 3) throw QuizError.of('reject-usage');
    return this.decide(server, id, async () => {
      const s = await this.pendingOne(server, id);
      const decided: SuggestionRecord = { ...s, status: 'rejected', decidedBy: admin.id, reason: reason.trim().slice(0, 300) };
      await this.deps.store.decideSuggestion(server, decided);
      await this.deps.chat.tellMember(s.channel, s.by.id, `Your suggested question “${s.title}” was not added: ${decided.reason}`);
      return decided;
    });
  }

  /** The server's approved questions, as content files (`quizbot content export`). */
  async files(server: ServerRef): Promise<Map<string, string>> {
    return this.deps.store.serverQuestionFiles(server);
  }
}
