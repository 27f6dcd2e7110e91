/**
 * Key-point coverage of a free-text answer, with polarity, weights and evidence.
 *
 * Matching: answer and phrases are normalised alike (lowercase, accents and punctuation removed,
 * Porter stems, a small synonym table, one typo allowed in words of 7+ letters). Function words are
 * ignored, but negators and quantifiers are kept ("only two" never shrinks to "two"). A phrase
 * occurs when its words appear in order within one sentence with at most MAX_GAP other words
 * between them.
 *
 * Polarity: a phrase preceded by a negator in its clause (not, never, n't, without, …) is negated.
 * A point is covered by one of its `phrases` un-negated, or one of its `negated` phrases negated;
 * one of its `counter` phrases un-negated (a misconception) voids it. Each covered point keeps the
 * words that earned it; each voided point says why.
 *
 * Weights: quality = (required covered + ½ bonus covered) / required, capped at 1.
 *
 * Closeness: an answer that raises no flag and contradicts no point (or denies just one, with a
 * single negator: then up to the other required points' share) earns the better of that quality
 * and its closeness to the nearest reference: a curated sample answer, the required points'
 * statements read as one, those statements and the samples together, or the required points'
 * phrases read as one (cosine of content stems the question does not use, a WordNet synonym of a
 * reference word counting half; below 0.15 is chance overlap). It credits right wording the key
 * points did not foresee; a negated sample answer is close and earns nothing, being contradicted.
 * Figures in docs/grading.md ("Weights and closeness", "Measured").
 *
 * Anti-gaming: an empty answer earns nothing; one or two words only when they are the whole answer
 * (every required point); the question pasted back with nothing added (`echo`) earns no quality;
 * a keyword salad — key terms named without explaining anything, as a list or
 * dressed as sentences — earns a tenth; a story question answered with no concrete detail
 * (`no-example`) a quarter at most; a long answer that shares only chance words with every reference
 * answers another question (`off-topic`) and keeps a share of its quality that falls to nothing; an
 * answer dense with absolutes ("always", "never", "only", "automatically") overclaims (`overclaims`)
 * and keeps less, down to 0.3 of it. Short answers are scored on what they cover.
 */
import { TOPIC_ADP, aboutFirstSubject, actsAsVerb, claimClauses, groupPush, withShortForms, namesAnySubject, listedWords, pointSubject, sentenceTopic, subjectAt, subjectIndex, subjectsOf, tagWords, warmTagger, type ClauseWord, type SubjectIndex, type Tag } from './claims.js';
import { asksForStory, concreteDetails } from './experience.js';
import { metaVerbKind, sensesOf, type WordnetPos } from './wordnet.js';
import { peersOf, type PeerGroup } from './peers.js';
import { definedTerms, swappedClauses, type Term } from './definitions.js';
import { LIGHT_VERBS, STOPWORDS, editDistance, isSpecific, stem } from './text.js';
import type { GradeFlag, GradeResult, KeyPoint, Question } from './types.js';

export const MIN_WORDS = 5;
/** Fewer words than this never earn points, whatever they name. */
export const MIN_TERSE_WORDS = 3;
const MAX_GAP = 2;
/**
 * What a bare list of terms earns of its key-point quality. A tenth since 2026-12-07 (a quarter
 * before): chosen on the tuned sets, where 86 of 96 salads are flagged and flagged salads sat at
 * the quarter, which alone kept the salad mean near its 0.25 ceiling.
 */
const SALAD_PENALTY = 0.1;
const BONUS_WEIGHT = 0.5;
/**
 * Share of the gap between the key-point quality and the answer's closeness to a curated sample
 * answer that closeness earns (only for answers that contradict no point and raise no flag). All
 * of it: on the tuned Mohler chapters r rose with the share all the way (0.35: 0.612, 0.5: 0.614,
 * 0.7: 0.615, 0.85: 0.616, 1: 0.617); an answer is worth the better of the two measures.
 */
const CLOSENESS_WEIGHT = 1;
/**
 * Words from which a member's key point reads as a sentence, not a term ("A mutex lets one thread
 * in at a time", not "mutex"): such points are a closeness reference (referenceTexts).
 */
const SENTENCE_WORDS = 4;
/** Closeness below this is chance overlap (a shared word or two), not closeness. */
const CLOSENESS_MIN = 0.15;
/**
 * Closeness as a grade: a short answer shares a cosine of about 0.75 with a long sample answer it
 * fully agrees with, not 1. Swept on the tuned Mohler chapters only: r 0.618 at 1, 0.619 at 1.1,
 * 0.620 from 1.2 to 1.5, 0.619 at 1.7, 0.614 at 2; tuned adversarial AUC flat (0.786/0.744 at 1,
 * 0.784/0.751 at 1.3).
 */
const CLOSENESS_SCALE = 1.3;
/** What closeness alone can earn: wording close to a sample answer that states no key point is never full marks (tuned r the same from 0.75 to 1; below 0.85 a bank sample answer that names only some of its points would fall short). */
const CLOSENESS_CAP = 0.9;
/** Words before a match (same clause) in which a negator negates it. */
const NEGATION_WINDOW = 8;
/**
 * How far a negator reaches through plain words (no comma, bracket or subordinate clause between):
 * "HashMap doesn't hash the key with hashCode to pick a bucket". Chosen on tune/tune2: from 8 to 9,
 * negated 0.227 → 0.153 and 0.136 → 0.106, no good answer lost; 12 did better still (0.125 and
 * 0.083) but denied two bank sample answers' clauses ("be careful not to spoil the needs of the
 * clients with individual ideas of the developers"). Tuned Mohler r unchanged.
 */
const NEGATION_REACH = 9;
/** Words within which a second negator cancels the first ("does not mean don't repeat yourself"). */
const CANCEL_GAP = 4;

export const NEGATORS: ReadonlySet<string> = new Set(['not', 'no', 'never', 'without', 'instead', 'cannot', 'neither', 'nor', 'none', 'nothing', 'nobody', 'lack', 'lacks', 'lacking', 'fail', 'fails', 'failed', 'isnt', 'arent', 'wasnt', 'werent', 'dont', 'doesnt', 'didnt', 'cant', 'couldnt', 'wont', 'wouldnt', 'shouldnt', 'mustnt', 'hasnt', 'havent', 'hadnt', 'neednt']);
/** Quantifiers and order words: they qualify a claim, they make none. */
const QUANTIFIERS: ReadonlySet<string> = new Set(['only', 'all', 'any', 'some', 'each', 'every', 'both', 'most', 'more', 'less', 'fewer', 'few', 'many', 'one', 'two', 'three', 'four', 'first', 'last', 'same', 'other', 'once']);
/** Kept in phrases and answers although they are function words: they change meaning. */
const KEEP: ReadonlySet<string> = new Set([
  ...NEGATORS,
  ...QUANTIFIERS,
  // Parts of technical terms and of order: "over fetching", "scale out", "write through", "during a partition".
  ...['before', 'after', 'between', 'during', 'over', 'under', 'up', 'down', 'out', 'off', 'through', 'against', 'until'],
]);
/** Function words that also occur inside technical terms ("over fetching", "scale out"): not glue. */
const TERM_PARTS: ReadonlySet<string> = new Set(['over', 'under', 'up', 'down', 'out', 'off', 'above', 'below', 'per', 'via', 'in', 'on']);
/** Clause boundaries for negation scope (besides . ; : ! ? and new lines). */
const CLAUSE_WORDS: ReadonlySet<string> = new Set(['but', 'however', 'although', 'though', 'whereas', 'yet', 'instead', 'so', 'because', 'since', 'while', 'unless', 'otherwise', 'which', 'whereby']);
/** After and/or, these start a new predicate or subject (a clause of its own). */
const NEW_PREDICATE: ReadonlySet<string> = new Set(['is', 'are', 'was', 'were', 'has', 'have', 'had', 'does', 'do', 'did', 'can', 'will', 'would', 'should', 'must', 'may', 'it', 'they', 'we', 'i', 'you', 'he', 'she', 'this', 'there', 'its', 'their', 'then', 'the', 'make', 'use', 'so']);

/** "X is not optional / not only …" affirms X: no negation. */
const AFFIRMING: ReadonlySet<string> = new Set(['only', 'just', 'merely', 'optional', 'negotiable', 'avoidable', 'always']);

/** Same meaning for matching: every word of a group matches every other (by stem). */
const SYNONYM_GROUPS: string[][] = [
  ['choose', 'pick', 'select', 'opt', 'decide', 'prefer'],
  ['partition', 'split', 'netsplit', 'partitioned'],
  ['fail', 'failure', 'crash', 'outage', 'breakdown'],
  ['store', 'save', 'persist', 'keep'],
  ['remove', 'delete', 'evict', 'purge', 'erase'],
  ['copy', 'replica', 'replicate', 'duplicate', 'mirror'],
  ['error', 'exception', 'fault'],
  ['big', 'large', 'huge', 'heavy'],
  ['guarantee', 'ensure', 'promise', 'assure'],
  ['check', 'verify', 'validate', 'confirm'],
  ['limit', 'cap', 'restrict', 'throttle'],
  ['protect', 'secure', 'safeguard', 'shield'],
  ['server', 'machine', 'instance', 'host'],
  ['update', 'modify', 'change', 'edit', 'alter'],
  ['allow', 'let', 'permit', 'enable'],
  ['need', 'require', 'necessary', 'mandatory'],
  ['sacrifice', 'forgo', 'forfeit', 'relinquish'],
  ['stale', 'outdated', 'old', 'obsolete'],
  ['answer', 'respond', 'reply', 'response'],
  ['refuse', 'reject', 'deny', 'decline'],
  ['many', 'multiple', 'several', 'numerous'],
  ['quick', 'fast', 'rapid', 'speedy'],
  ['slow', 'sluggish', 'laggy'],
  ['user', 'customer', 'enduser'],
  ['begin', 'start', 'initiate'],
  ['finish', 'complete', 'end'],
  ['simultaneous', 'concurrent', 'parallel'],
  ['undo', 'rollback', 'revert'],
  ['test', 'testing'],
  ['problem', 'issue'],
  ['method', 'function', 'procedure', 'routine'],
  ['mistake', 'bug', 'defect'],
  ['speed', 'performance'],
  ['grow', 'scale', 'expand'],
  ['cache', 'memoize'],
  ['encrypt', 'cipher', 'encode'],
];
/**
 * Written forms of each synonym → the group's stem. Keyed by the word as written (with its common
 * inflections), not by stem: stems collide ("responsible" and "response" both stem to "respons").
 */
const CANON = new Map<string, string>();
for (const g of SYNONYM_GROUPS) {
  for (const w of g) {
    const forms = [w, `${w}s`, `${w}es`, `${w}d`, `${w}ed`, `${w}ing`, w.endsWith('e') ? `${w.slice(0, -1)}ing` : '', w.endsWith('y') ? `${w.slice(0, -1)}ies` : ''];
    for (const f of forms) if (f) CANON.set(f, stem(g[0]!));
  }
}

/** A word of an answer as matching sees it (claims.ts reads the same shape). */
interface Word extends ClauseWord {
  /** A closing bracket, an arrow or a dash stands right before it ("(emails, reports) -> queue", "… — getting there"). */
  afterClose?: boolean;
  /** An opening bracket stands right before it. */
  afterOpen?: boolean;
}

/** A word as written in the text: letters and digits, with an apostrophe part ("can't", "user's"). */
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

const PLAIN_WORD = /^[a-z0-9]+$/;

/** A written word as matching sees it: lowercase, no accents, "can't" → cant, possessive dropped. */
function writtenForm(token: string): string {
  // (Most words are plain lowercase ASCII already: nothing to fold.)
  if (PLAIN_WORD.test(token)) return token;
  const raw = token.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  return /['’]s$/.test(raw) ? raw.slice(0, -2) : raw.replace(/['’]/g, '');
}

/** Every written word of a text, function and clause words included (the lint's view). */
export function writtenWords(text: string): string[] {
  // As `analyse` reads them: "non-blocking" → nonblocking, "rather than" → instead (of).
  const joined = text.replace(/\bnon[ -](?=\p{L})/giu, 'non').replace(/\brather(?=\s+than\b)/giu, 'instead');
  return [...joined.matchAll(WORD)].map((m) => writtenForm(m[0]));
}

/**
 * Irregular verb forms → their base (Porter stemming only handles regular endings). A Map: a plain
 * object answered "constructor" and "toString" from its prototype.
 */
const IRREGULAR: ReadonlyMap<string, string> = new Map(
  (
    'chose:choose chosen:choose kept:keep lost:lose sent:send built:build ran:run wrote:write written:write held:hold gave:give given:give ' +
    'took:take taken:take made:make saw:see seen:see came:come broke:break broken:break fell:fall fallen:fall got:get ' +
    'gotten:get spent:spend led:lead meant:mean paid:pay sold:sell told:tell thought:think brought:bring caught:catch found:find ' +
    'stood:stand understood:understand began:begin begun:begin grew:grow grown:grow threw:throw thrown:throw knew:know known:know ' +
    'hid:hide hidden:hide shut:shut split:split hit:hit dealt:deal drove:drive driven:drive rose:rise risen:rise forgot:forget ' +
    'forgotten:forget froze:freeze frozen:freeze shook:shake shaken:shake wore:wear worn:wear won:win swung:swing bound:bind'
  )
    .split(' ')
    .map((p) => p.split(':') as [string, string]),
);

/**
 * Words Porter stemming would merge with another word they must stay apart from: Java's keywords
 * "final", "finally" and "finalize" (Porter: all "final") name three different things, and a
 * question asks for exactly that difference.
 */
const UNSTEMMED = /^(?:finally|finaliz(?:e|es|ed|ing|er|ers|ation|ations))$/;

const KEYWORDS: ReadonlySet<string> = new Set(['finally', 'finalize']);

/** The keyword an UNSTEMMED form stands for, by its American spelling. */
function keywordOf(w: string): string | null {
  return UNSTEMMED.test(w) ? (w === 'finally' ? 'finally' : 'finalize') : null;
}

/** British and American spellings alike: -ise/-isation → -ize, -our → -or (long words). */
function americanise(w: string): string {
  if (w.length > 5) w = w.replace(/is(e|es|ed|ing|ation|ations|er|ers)$/, 'iz$1');
  if (w.length > 6) w = w.replace(/our(s|ed|ing)?$/, 'or$1');
  return w;
}

const canonCache = new Map<string, string>();

function canonOf(raw: string): string {
  let c = canonCache.get(raw);
  if (c === undefined) {
    const w = americanise(IRREGULAR.get(raw) ?? raw);
    c = keywordOf(w) ?? CANON.get(raw) ?? CANON.get(w) ?? stem(w);
    // Bounded: a process grading years of answers keeps the common words only.
    if (canonCache.size > 200_000) canonCache.clear();
    canonCache.set(raw, c);
  }
  return c;
}

/** A word, a run of sentence or clause punctuation, or a comma (`analyse` is never re-entered: one regex serves every call). */
const TOKENS = new RegExp(`(${WORD.source})|([.;:!?\\n]+)|(,)`, 'gu');

/** Characters that close what came before: `)`, `]`, `>`, `→`, `—`, `–`. */
const CLOSERS: ReadonlySet<number> = new Set([...')]>→—–'].map((c) => c.charCodeAt(0)));

/** Words with positions, sentences and clauses. "can't" → "cant" (a negator), "Pub/Sub" → pub, sub. */
export function analyse(text: string): Word[] {
  const out: Word[] = [];
  let sentence = 0;
  let clause = 0;
  const re = TOKENS;
  re.lastIndex = 0;
  let comma = false;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[2]) {
      if (/[.;!?\n]/.test(m[2])) sentence++;
      clause++;
      continue;
    }
    if (m[3]) {
      comma = true;
      continue;
    }
    let raw = writtenForm(m[1]!);
    // "non-clustered", "non blocking": one word, the opposite of "clustered" ("nonclustered").
    const prefix = raw === 'non' ? /^[ -]([\p{L}]+)/u.exec(text.slice(m.index + 3)) : null;
    if (prefix) {
      raw = `non${writtenForm(prefix[1]!)}`;
      re.lastIndex = m.index + 3 + prefix[0].length;
      comma = false;
      out.push({ raw, canon: canonOf(raw), start: m.index, end: re.lastIndex, sentence, clause, content: true, afterComma: false, afterClose: false, afterOpen: false });
      continue;
    }
    // "instead of X", "rather than X": X is what the answer does not do.
    if ((raw === 'instead' && /^\s+of\b/i.test(text.slice(re.lastIndex))) || (raw === 'rather' && /^\s+than\b/i.test(text.slice(re.lastIndex)))) {
      raw = 'instead';
      clause++;
    }
    else if (CLAUSE_WORDS.has(raw)) {
      clause++;
      comma = false;
      continue;
    }
    // "If you don't write one, the compiler …": a comma before a new subject or verb ends the
    // clause; "not A, B or C" (a list) keeps it.
    if (comma && NEW_PREDICATE.has(raw)) clause++;
    // A closing or opening bracket (or an arrow, a dash) between the previous word and this one.
    let close = false;
    let open = false;
    for (let k = out.length > 0 ? out[out.length - 1]!.end : m.index; k < m.index; k++) {
      const ch = text.charCodeAt(k);
      if (CLOSERS.has(ch)) close = true;
      else if (ch === 0x28 || ch === 0x5b) open = true;
    }
    // (Every word has every field: one object shape keeps property reads fast in the hot loops.)
    out.push({ raw, canon: canonOf(raw), start: m.index, end: m.index + m[1]!.length, sentence, clause, content: !STOPWORDS.has(raw) || KEEP.has(raw), afterComma: comma, afterClose: close, afterOpen: open });
    comma = false;
  }
  // "… cannot return a value and has the same name": `and`/`or` before a new verb or subject
  // starts a new clause (negation does not carry over); "consistency and availability" does not.
  let shift = 0;
  for (let i = 0; i < out.length; i++) {
    const w = out[i]!;
    if ((w.raw === 'and' || w.raw === 'or') && out[i + 1] && out[i + 1]!.clause === w.clause && NEW_PREDICATE.has(out[i + 1]!.raw)) shift++;
    w.clause += shift;
  }
  return out;
}

interface PhraseWord {
  raw: string;
  canon: string;
}

const phraseCache = new Map<string, PhraseWord[]>();

/** A phrase's matchable words (content words, negators and quantifiers kept). */
export function phraseWords(phrase: string): PhraseWord[] {
  let p = phraseCache.get(phrase);
  if (!p) {
    const all = analyse(phrase);
    p = all.filter((w) => w.content).map((w) => ({ raw: w.raw, canon: w.canon }));
    // "must have two" is not "two": a phrase of several words left with one quantifier or
    // negator says nothing of its own and matches nothing.
    if (all.length > 1 && p.length === 1 && (QUANTIFIERS.has(p[0]!.raw) || NEGATORS.has(p[0]!.raw))) p = [];
    phraseCache.set(phrase, p);
  }
  return p;
}

function wordMatches(p: PhraseWord, a: Word): boolean {
  if (a.canon === p.canon) return true;
  // Word stems written as such in content ("cach", "scalab"): an answer word starting with them.
  // ("final" is no stem of "finally" or "finalizing": see UNSTEMMED.)
  if (p.raw.length >= 4 && a.raw.startsWith(p.raw) && !(KEYWORDS.has(a.canon) && a.canon !== p.canon)) return true;
  // One typo in a long word (two in a very long one), never in short words.
  if (p.raw.length >= 7 && a.raw.length >= 7 && a.raw[0] === p.raw[0]) {
    const max = p.raw.length >= 10 ? 2 : 1;
    if (Math.abs(a.raw.length - p.raw.length) > max) return false;
    const key = `${p.raw} ${a.raw}`;
    let typo = typoCache.get(key);
    if (typo === undefined) {
      typo = editDistance(a.raw, p.raw) <= max;
      // Bounded: a process grading years of answers keeps the common pairs only.
      if (typoCache.size > 200_000) typoCache.clear();
      typoCache.set(key, typo);
    }
    return typo;
  }
  return false;
}

/** Whether an answer word is a phrase word with a typo, by (phrase word, answer word): the same pairs recur in every answer. */
const typoCache = new Map<string, boolean>();

export interface Match {
  /** Indexes into the analysed words. */
  first: number;
  last: number;
  negated: boolean;
  /** Negated only by the verb after the terms ("prepared statements don't prevent it"). */
  verbDenied?: boolean;
}

/** Forms of "fail": a negator only before "to". */
const FAILING: ReadonlySet<string> = new Set(['fail', 'fails', 'failed']);

function isNegator(words: Word[], i: number): boolean {
  const w = words[i]!;
  // "fails to replicate" denies; "failed nodes", "if a node fails, …" do not.
  if (FAILING.has(w.raw)) return words[i + 1]?.raw === 'to';
  // "no more than an hour of downtime", "not later than …": a bound, not a denial.
  if ((w.raw === 'no' || w.raw === 'not') && COMPARATIVES.has(words[i + 1]?.raw ?? '') && words[i + 2]?.raw === 'than') return false;
  return NEGATORS.has(w.raw);
}

/** Comparatives that "no"/"not" and "than" make a bound: "no more than", "not later than". */
const COMPARATIVES: ReadonlySet<string> = new Set(['more', 'less', 'fewer', 'later', 'earlier', 'longer', 'greater', 'higher', 'lower']);

/** Verbs that carry a negation that follows the subject: "atomicity is not …". */
const AUX: ReadonlySet<string> = new Set(['is', 'are', 'was', 'were', 'be', 'does', 'do', 'did', 'has', 'have', 'had', 'can', 'will', 'would', 'should', 'must', 'may', 'might', 'could']);
/** Negated verbs written as one word ("isn't" → isnt). */
const CONTRACTED: ReadonlySet<string> = new Set(['isnt', 'arent', 'wasnt', 'werent', 'dont', 'doesnt', 'didnt', 'cant', 'cannot', 'couldnt', 'wont', 'wouldnt', 'shouldnt', 'mustnt', 'hasnt', 'havent', 'hadnt']);

/**
 * Whether the words at first..last are negated by their clause. A phrase that holds its own
 * negator ("don't repeat yourself") is negated by another one before it ("DRY does not mean don't
 * repeat yourself"); its own negator never counts.
 */
function negatedAt(words: Word[], first: number, last: number, phraseHasNegator: boolean): 'negated' | 'cancelled' | null {
  const clause = words[first]!.clause;
  // A negator inside the matched span ("scopes do not limit" for the phrase "scopes limit").
  if (!phraseHasNegator) for (let i = first + 1; i < last; i++) if (isNegator(words, i)) return 'negated';
  // Negators shortly before the match, in the same clause: one negates it, two cancel out ("does
  // not mean don't repeat yourself" does not say "repeat yourself").
  // "It is not true that X", "it's not the case that X": the whole of X is denied.
  for (let j = first - 1; j > 1 && words[j]!.clause === clause; j--) {
    if (words[j]!.raw !== 'that' || !TRUTH_WORDS.has(words[j - 1]!.raw)) continue;
    for (let k = j - 2; k >= Math.max(0, j - 4); k--) if (isNegator(words, k)) return 'negated';
  }
  let before = 0;
  // (An item of a list is reached from where the list starts: "no need for a window, batches or
  // zero-downtime steps".)
  const head = listHead(words, first);
  let nearest = -1;
  let plain = true;
  for (let i = head - 1; i >= 0 && i >= head - NEGATION_REACH; i--) {
    if (words[i]!.clause !== clause || words[i + 1]!.afterClose) break;
    if (words[i + 1]!.afterComma || words[i + 1]!.afterOpen || SUBORDINATORS.has(words[i]!.raw)) plain = false;
    // (Past the window, only through plain words: no comma, bracket or subordinate clause.)
    if (head - i > NEGATION_WINDOW && !plain) break;
    // Past a comma, a negator is another item's ("a stub doesn't …, and a mock doesn't …"): it
    // still negates, but does not cancel one nearer the phrase.
    if (before > 0 && (words[i + 1]!.afterComma || CONJUNCTIONS.has(words[i + 1]!.raw))) break;
    // (A second negator cancels the first only close to it: "does not mean don't repeat".)
    if (before > 0 && nearest - i > CANCEL_GAP) break;
    // "all or nothing", "yes or no": an alternative, not a negation.
    if (isNegator(words, i) && words[i - 1]?.raw !== 'or') {
      before++;
      if (nearest < 0) nearest = i;
    }
  }
  return before === 0 ? null : before % 2 === 1 ? 'negated' : 'cancelled';
}

/**
 * "Atomicity is not …", "prepared statements don't prevent it": the term, then its verb negated,
 * denies the claim about the term — unless the term is itself the content of a definition before
 * it ("Isolation means concurrent transactions do not see …": that is what isolation is, negation
 * included).
 */
function verbAfterNegated(words: Word[], first: number, last: number): boolean {
  const clause = words[first]!.clause;
  const next = words[last + 1];
  if (!next || next.clause !== clause) return false;
  for (let i = first - 1; i >= 0 && words[i]!.clause === clause; i--) if (DEFINERS.has(words[i]!.raw) || words[i]!.raw === 'that') return false;
  const neg = CONTRACTED.has(next.raw) ? last + 1 : AUX.has(next.raw) && words[last + 2]?.clause === clause && isNegator(words, last + 2) ? last + 2 : -1;
  return neg >= 0 && !AFFIRMING.has(words[neg + 1]?.raw ?? '');
}

const CONJUNCTIONS: ReadonlySet<string> = new Set(['and', 'or', 'but']);
/** "not true that …", "not the case that …". */
const TRUTH_WORDS: ReadonlySet<string> = new Set(['true', 'case', 'correct', 'right', 'accurate', 'so']);
/** Words that open a clause inside a sentence ("… when one is needed", "… where the function has …"). */
const SUBORDINATORS: ReadonlySet<string> = new Set(['when', 'where', 'that', 'if', 'whether', 'as', 'than', 'thus', 'then', 'after', 'before', 'until']);
/** Words a list item (a term) is at most. */
const ITEM_WORDS = 4;

/**
 * Where the list that the word at `at` is an item of starts: back over items of a few words each,
 * separated by commas or "and"/"or", none of them a clause of its own (no auxiliary verb), and not
 * past a closed bracket or an arrow ("(emails, reports) -> queue").
 */
function listHead(words: Word[], at: number): number {
  let s = at;
  for (;;) {
    const conj = s > 0 && CONJUNCTIONS.has(words[s - 1]!.raw);
    if (!words[s]!.afterComma && !conj) return s;
    if (words[s]!.afterClose || (conj && words[s - 1]!.afterClose)) return s;
    const end = conj ? s - 2 : s - 1;
    if (end < 0 || words[end]!.clause !== words[at]!.clause) return s;
    let k = end;
    while (k > 0 && end - k < ITEM_WORDS - 1 && !words[k]!.afterComma && !CONJUNCTIONS.has(words[k - 1]!.raw) && words[k - 1]!.clause === words[at]!.clause) k--;
    const item = words.slice(k, end + 1);
    const content = item.filter((w) => w.content).length;
    if (content === 0 || content > 3 || item.some((w) => AUX.has(w.raw) || NEGATORS.has(w.raw) || w.afterClose)) return s;
    s = k;
    if (!words[k]!.afterComma && !(k > 0 && CONJUNCTIONS.has(words[k - 1]!.raw))) return s;
  }
}
/** Words a subject's terms may be joined by before its verb: "failures, outages and bad deploys …". */
const SUBJECT_POS: ReadonlySet<string> = new Set(['NOUN', 'PROPN', 'ADJ', 'DET', 'ADP', 'CCONJ', 'NUM', 'PUNCT', 'SYM', 'X', 'PART']);

/**
 * "Hardware failures, network outages and bad deploys don't cause downtime", "Caching in Redis
 * doesn't make responses faster": the matched terms are (part of) the subject — no verb before
 * them in their clause — and the clause's verb after them is negated. (A verb of a new conjunct,
 * "… and doesn't …", is another claim's.)
 */
function subjectNegated(words: Word[], tags: readonly Tag[], m: Match): boolean {
  const clause = words[m.first]!.clause;
  const isVerb = (i: number) => actsAsVerb(words, tags, i);
  for (let i = m.last; i >= 0 && words[i]!.clause === clause; i--) {
    if (isVerb(i)) return false;
    // ", and running the app under X doesn't …": the subject of a new conjunct starts here.
    if (i < m.first && CONJUNCTIONS.has(words[i]!.raw) && words[i]!.afterComma) break;
  }
  for (let i = m.last + 1; i < words.length && i <= m.last + NEGATION_WINDOW && words[i]!.clause === clause; i++) {
    const w = words[i]!;
    // "Redis, not Memcached, …": a contrast after a comma, not the subject's verb negated.
    if (w.afterComma && w.raw === 'not') return false;
    const verb = isVerb(i) || CONTRACTED.has(w.raw) || AUX.has(w.raw);
    if (!verb && w.raw !== 'never' && w.raw !== 'not') {
      if (!SUBJECT_POS.has(tags[i]!.pos) && tags[i]!.pos !== 'VERB') return false;
      continue;
    }
    if (i > m.last + 1 && CONJUNCTIONS.has(words[i - 1]!.raw)) return false;
    const neg = CONTRACTED.has(w.raw) || w.raw === 'never' || w.raw === 'not' ? i : AUX.has(w.raw) && words[i + 1]?.clause === clause && isNegator(words, i + 1) ? i + 1 : -1;
    return neg >= 0 && !AFFIRMING.has(words[neg + 1]?.raw ?? '');
  }
  return false;
}

/** No match: one shared empty list (most phrases are nowhere in an answer; a big reveal asks millions of times). */
const NO_MATCHES: readonly Match[] = Object.freeze([]);

/** Every occurrence of a phrase in the answer (in order, gaps ≤ MAX_GAP content words, one sentence). */
export function occurrences(phrase: string, words: Word[]): readonly Match[] {
  const p = phraseWords(phrase);
  if (p.length === 0) return NO_MATCHES;
  const inOrder = ordered(p, words);
  // Two-word phrases also match reversed ("partition tolerance" / "tolerant of partitions"),
  // unless the order carries the meaning (a negator or quantifier in the phrase).
  if (inOrder.length > 0 || p.length !== 2 || p.some((x) => KEEP.has(x.raw))) return inOrder;
  return ordered([p[1]!, p[0]!], words);
}

interface ContentIndex {
  content: { w: Word; i: number }[];
  /** Canonical forms of the content words, and every prefix (4+ letters) of their written forms. */
  canons: Set<string>;
  prefixes: Set<string>;
  /** Content words of 7+ letters (the only ones a typo can hide in), by first letter. */
  long: Map<string, Word[]>;
}

/** An answer's content words with their indexes, computed once per analysed answer. */
const contentOf = new WeakMap<Word[], ContentIndex>();

function contentIndex(words: Word[]): ContentIndex {
  let ix = contentOf.get(words);
  if (!ix) {
    const content = words.map((w, i) => ({ w, i })).filter((x) => x.w.content);
    const prefixes = new Set<string>();
    for (const { w } of content) for (let n = 4; n <= w.raw.length; n++) prefixes.add(w.raw.slice(0, n));
    const long = new Map<string, Word[]>();
    for (const { w } of content) {
      if (w.raw.length < 7) continue;
      const same = long.get(w.raw[0]!);
      if (same) same.push(w);
      else long.set(w.raw[0]!, [w]);
    }
    ix = { content, canons: new Set(content.map((x) => x.w.canon)), prefixes, long };
    contentOf.set(words, ix);
  }
  return ix;
}

/** Per analysed answer: whether a long phrase word (7+ letters) is in it with a typo, by its written form. */
const typosOf = new WeakMap<Word[], Map<string, boolean>>();

/** Whether some content word of the answer is phrase word `w` with a typo (scanned once per answer and word). */
function typoPresent(w: PhraseWord, words: Word[]): boolean {
  let seen = typosOf.get(words);
  if (!seen) {
    seen = new Map();
    typosOf.set(words, seen);
  }
  let v = seen.get(w.raw);
  if (v === undefined) {
    // (Called once the word's stem and prefix are known to be absent: only a typo can match, and a
    // typo keeps the first letter of a word of 7+ letters.)
    v = (contentIndex(words).long.get(w.raw[0]!) ?? []).some((a) => wordMatches(w, a));
    seen.set(w.raw, v);
  }
  return v;
}

function ordered(p: PhraseWord[], words: Word[]): readonly Match[] {
  const { content, canons, prefixes } = contentIndex(words);
  // Most phrases have a word that is nowhere in the answer: skip the scan (a typo can only be in a
  // word of 7+ letters, which is scanned).
  for (const w of p) if (!canons.has(w.canon) && !(w.raw.length >= 4 && prefixes.has(w.raw)) && (w.raw.length < 7 || !typoPresent(w, words))) return NO_MATCHES;
  const hasNeg = p.some((x) => NEGATORS.has(x.raw));
  const out: Match[] = [];
  for (let s = 0; s < content.length; s++) {
    if (!wordMatches(p[0]!, content[s]!.w)) continue;
    let at = s;
    let ok = true;
    for (let k = 1; k < p.length && ok; k++) {
      let next = -1;
      // A phrase's negator binds the word right after it ("not repeat"): no gap.
      const gap = NEGATORS.has(p[k - 1]!.raw) ? 0 : MAX_GAP;
      for (let j = at + 1; j < content.length && j - at - 1 <= gap; j++) {
        if (content[j]!.w.sentence !== content[s]!.w.sentence) break;
        if (wordMatches(p[k]!, content[j]!.w)) {
          next = j;
          break;
        }
      }
      if (next < 0) ok = false;
      else at = next;
    }
    if (!ok) continue;
    const first = content[s]!.i;
    const last = content[at]!.i;
    const before = negatedAt(words, first, last, hasNeg);
    const after = before === null && verbAfterNegated(words, first, last);
    out.push({ first, last, negated: before === 'negated' || after, ...(after ? { verbDenied: true } : {}) });
  }
  return out;
}

/** How far (in words) before or after a near match a stand-in for a word left out may be. */
const NEAR_REACH = 3;

interface NearPhrase {
  /** The words kept, in order. */
  words: PhraseWord[];
  /** Each word left out: where it stood among the kept words (0 = before the first) and its part of speech. */
  dropped: { at: number; pos: string }[];
}

const nearCache = new Map<string, NearPhrase[]>();

/** Parts of speech that can stand in for each other in a near match. */
function posClass(pos: string): string {
  return pos === 'VERB' || pos === 'AUX' ? 'V' : pos === 'NOUN' || pos === 'PROPN' || pos === 'NUM' ? 'N' : pos === 'ADJ' ? 'A' : pos === 'ADV' ? 'R' : pos;
}

/**
 * A phrase said with a word or two in other words: all but one word of a phrase of three or more,
 * all but two of one of four or more ("always executes once" said as "always processes once").
 * A negator or quantifier is never left out, a word of substance stays, and each word left out
 * must be stood in for by a word of the same part of speech where it stood (checked at matching):
 * "when the network splits" is not "network partitions happen" with a word left out.
 */
function nearPhrases(phrase: string): NearPhrase[] {
  let out = nearCache.get(phrase);
  if (!out) {
    const p = phraseWords(phrase);
    out = [];
    if (p.length >= 3 && !p.some((x) => NEGATORS.has(x.raw))) {
      const analysed = analyse(phrase).filter((w) => w.content);
      const pos = tagWords(phrase, analysed).map((t) => posClass(t.pos));
      const droppable = p.map((x, i) => (KEEP.has(x.raw) ? -1 : i)).filter((i) => i >= 0);
      const make = (gone: number[]): NearPhrase | null => {
        const left = p.filter((_, i) => !gone.includes(i));
        if (!left.some((x) => !KEEP.has(x.raw))) return null;
        return { words: left, dropped: gone.map((g) => ({ at: g - gone.filter((o) => o < g).length, pos: pos[g] ?? 'X' })) };
      };
      const sets: number[][] = droppable.map((a) => [a]);
      if (p.length >= 4) for (const a of droppable) for (const b of droppable) if (a < b) sets.push([a, b]);
      for (const gone of sets) {
        const n = make(gone);
        if (n) out.push(n);
      }
    }
    nearCache.set(phrase, out);
  }
  return out;
}

/**
 * Whether each word a near phrase left out is stood in for in the answer: a content word of the
 * same part of speech, not one of the matched words, between the kept words around it (or just
 * before the first / after the last, in the same clause).
 */
function stoodIn(near: NearPhrase, words: Word[], m: Match, tags: readonly Tag[]): boolean {
  const kept = matchedIndexes(near.words, words, m);
  if (!kept) return false;
  const clause = words[m.first]!.clause;
  return near.dropped.every(({ at, pos }) => {
    // Between two kept words the sentence goes on around the gap; at either end, a word near
    // the match must take the missing word's place (word order may move it inside the match:
    // "keeps everything in RAM" said as "everything sits in RAM").
    if (at > 0 && at < kept.length) return true;
    for (let i = Math.max(0, m.first - NEAR_REACH); i <= Math.min(words.length - 1, m.last + NEAR_REACH); i++) {
      if (kept.includes(i) || words[i]!.clause !== clause || !words[i]!.content || STOPWORDS.has(words[i]!.raw)) continue;
      if (posClass(tags[i]!.pos) === pos) return true;
    }
    return false;
  });
}

/** The answer's word indexes a match of these phrase words used (in order), or null. */
function matchedIndexes(p: PhraseWord[], words: Word[], m: Match): number[] | null {
  const out: number[] = [];
  let k = 0;
  for (let i = m.first; i <= m.last && k < p.length; i++) {
    if (words[i]!.content && wordMatches(p[k]!, words[i]!)) {
      out.push(i);
      k++;
    }
  }
  return k === p.length ? out : null;
}

export interface PointResult {
  covered: boolean;
  /** The answer's words that earned the point (or that voided it). */
  evidence: string | null;
  match: Match | null;
  voided: string | null;
  /** Voided by a counter-phrase or said of the wrong subject: a wrong claim, which costs twice as much again. */
  misconception?: boolean;
  /** Covered by a clause that states a claim, not only by naming the terms. */
  claimed?: boolean;
  /**
   * Covered by the point's terms alone: no phrase that states something (one with a verb) matched,
   * and the term is not said of the question's own subject ("HashMap works on hashing").
   */
  named?: boolean;
  /** Said of the other subject of a comparison (the swapped claim). */
  swapped?: boolean;
  /** Covered by a term only (no phrase with a verb matched), whatever it was said of. */
  termOnly?: boolean;
  /** Covered by its terms alone, yet a phrase of it is denied elsewhere in the answer: the denial (`deniedAfterNaming`). */
  denied?: Match;
}

function span(text: string, words: Word[], m: Match): string {
  // Widen to the whole clause fragment around the match (at most 12 words) for readable evidence.
  let a = m.first;
  let b = m.last;
  while (a > 0 && words[a - 1]!.clause === words[m.first]!.clause && m.last - a < 8) a--;
  while (b < words.length - 1 && words[b + 1]!.clause === words[m.last]!.clause && b - a < 11) b++;
  return text.slice(words[a]!.start, words[b]!.end).replace(/\s+/g, ' ');
}

/** Verbs that introduce what the subject before them is (a definition or claim about it). */
const DEFINERS: ReadonlySet<string> = new Set(['means', 'mean', 'meant', 'refers', 'stands', 'describes']);
/**
 * "X is when …", "X is basically …", "X is only needed …", "X is mainly there to …": what X is or is
 * for, said after it. "X is mandatory", "ZooKeeper is CP" are claims the term makes.
 */
const COPULA_DEFINING: ReadonlySet<string> = new Set(['when', 'where', 'that', 'basically', 'simply', 'just', 'about', 'like', 'how', 'mainly', 'mostly', 'only', 'there', 'needed', 'done']);

/**
 * A term named only as the subject of its own definition or claim ("Isolation means every
 * transaction runs on its own server"): the words after the verb must earn the point, not the
 * term. Otherwise any wrong definition would earn the point its term names.
 */
function definedTerm(text: string, words: Word[], m: Match): boolean {
  const next = words[m.last + 1];
  if (!next || next.clause !== words[m.last]!.clause) return false;
  const defining = DEFINERS.has(next.raw) || ((next.raw === 'is' || next.raw === 'are') && COPULA_DEFINING.has(words[m.last + 2]?.raw ?? ''));
  if (!defining) return false;
  // The subject: the match opens its clause or a list item ("…, isolation means …", "… and
  // durability means …"), after at most an article or a possessive.
  let lead = 0;
  for (let i = m.first - 1; i >= 0 && words[i]!.clause === words[m.first]!.clause; i--) {
    const w = words[i]!;
    if (w.raw === 'and' || w.raw === 'or' || /[,(]/.test(text.slice(w.end, words[i + 1]!.start))) break;
    lead++;
  }
  return lead <= 1;
}

/**
 * Whether a match is said of the question's own subject: a word of the question as asked, or a
 * pronoun, then a verb, then the match, in one clause ("HashMap works on hashing principles",
 * "They are best suited for transactions"). A term said of the subject asked about is a claim
 * about it, however terse; a term said of another term ("atomicity feeds into consistency") or
 * of nothing relates nothing the question asked.
 */
function saidOfAsked(words: Word[], m: Match, ctx?: AnswerContext): boolean {
  if (!ctx?.tags || !ctx.asked) return false;
  const clause = words[m.first]!.clause;
  let verb = false;
  for (let i = m.first - 1; i >= 0 && words[i]!.clause === clause; i--) {
    const pos = ctx.tags[i]!.pos;
    if (pos === 'VERB' || pos === 'AUX') verb = true;
    else if (verb && ((words[i]!.content && ctx.asked.has(words[i]!.canon)) || ASKED_PRONOUNS.has(words[i]!.raw))) return true;
  }
  return false;
}

/** Pronouns that stand for the subject asked about ("They are best suited for …"). */
const ASKED_PRONOUNS: ReadonlySet<string> = new Set(['it', 'they', 'its', 'their']);

/** Whether a word of the answer's match acts as a verb there ("spans several services"). */
function spanActs(words: Word[], tags: readonly Tag[], m: Match): boolean {
  for (let i = m.first; i <= m.last; i++) if (actsAsVerb(words, tags, i)) return true;
  return false;
}

/** Whether every content word of a match is a word of the question as asked. */
function askedOnly(words: Word[], m: Match, ctx?: AnswerContext): boolean {
  if (!ctx?.asked) return false;
  for (let i = m.first; i <= m.last; i++) if (words[i]!.content && !ctx.asked.has(words[i]!.canon)) return false;
  return true;
}

/** What judging a point needs to know about the answer beyond its words. */
export interface AnswerContext {
  /** Clauses (by number) that state a claim (claims.ts). */
  claims: ReadonlySet<number>;
  /** Comparison questions: the subjects' written forms, and the point's own subject. */
  subjects: string[][] | null;
  subject: number | null;
  /** Part of speech of each analysed word (claims.ts `tagWords`): a near match's stand-in words. */
  tags?: readonly Tag[];
  /** Words named as items of a list (claims.ts `listedWords`): named, not stated. */
  listed?: ReadonlySet<number>;
  /** The subjects are the points' own labels (several terms, not the two sides of a comparison). */
  labels?: boolean;
  /** The question's own words as asked (canonical stems). */
  asked?: ReadonlySet<string>;
  /** Which subject each of the answer's words names (claims.ts `subjectIndex`). */
  index?: SubjectIndex;
  /** The point is about its subject only because the question is ("What is X, and how does it differ from Y?"). */
  byDefault?: boolean;
  /** A member's suggestion: what the point's statement says, word by word (`statementOf`). */
  statement?: Statement;
}

const denies = new WeakMap<KeyPoint, boolean>();

/** Whether a key point's own statement is a negated verb ("need not take down", "cannot be read"). */
function pointDenies(point: KeyPoint): boolean {
  let d = denies.get(point);
  if (d === undefined) {
    const ws = analyse(point.point);
    d = ws.some((w, i) => CONTRACTED.has(w.raw) || ((w.raw === 'not' || w.raw === 'never') && (AUX.has(ws[i - 1]?.raw ?? '') || ws[i - 1]?.raw === 'need')));
    denies.set(point, d);
  }
  return d;
}

/** The words (canonical) of the term a point is labelled with, when its phrases name it ("soft state" of "Soft state: …"). */
function labelTermOf(point: KeyPoint): ReadonlySet<string> | undefined {
  if (!labelTerms.has(point)) {
    const label = pointLabel(point);
    labelTerms.set(point, label && point.phrases.some((ph) => labelledBy(point, ph)) ? new Set(phraseWords(label).map((w) => w.canon)) : undefined);
  }
  return labelTerms.get(point);
}

const labelTerms = new WeakMap<KeyPoint, ReadonlySet<string> | undefined>();

/** The term a point is labelled with ("Atomicity" of "Atomicity: all or nothing"), or null. */
function pointLabel(point: KeyPoint): string | null {
  return /^([^:]{1,40}):\s/.exec(point.point)?.[1] ?? null;
}

/** Whether a phrase is (part of) the point's label ("DRY" of "DRY: don't repeat yourself"): what is denied, not a term of the denial. */
function labelledBy(point: KeyPoint, phrase: string): boolean {
  const label = pointLabel(point);
  if (!label) return false;
  const own = new Set(phraseWords(label).map((w) => w.canon));
  return phraseWords(phrase).every((w) => own.has(w.canon));
}

const terms = new Map<string, boolean>();

/** Whether a phrase names a thing (no verb in it) rather than stating a claim. */
function isTerm(phrase: string): boolean {
  let t = terms.get(phrase);
  if (t === undefined) {
    const ws = analyse(phrase);
    t = !tagWords(phrase, ws).some((tag) => tag.pos === 'VERB' || tag.pos === 'AUX');
    terms.set(phrase, t);
  }
  return t;
}

/** Whether a match's words name subject `s` themselves. */
function namesSubject(index: SubjectIndex, m: Match, s: number): boolean {
  return index.named.slice(m.first, m.last + 1).includes(s);
}

/** The other subject of a comparison (or other labelled term) a match is said of, or null. */
function otherSubject(text: string, words: Word[], m: Match, ctx?: AnswerContext, label?: ReadonlySet<string>): number | null {
  if (!ctx?.subjects || ctx.subject === null) return null;
  const subjects = ctx.subjects;
  // (A match that names its own term is about that term.)
  const index = ctx.index ?? subjectIndex(text, words, subjects);
  const own = ctx.labels && namesSubject(index, m, ctx.subject);
  const of = own ? null : ctx.labels ? sentenceTopic(m.first, index) : subjectAt(words, m.last, index);
  if (of === null || of === ctx.subject) return null;
  // (A point about X only because the question is — "What is X, and how does it differ from Y?" —
  // is said of Y only by a sentence that does not open on X: "Continuous delivery extends
  // continuous integration so every change is releasable" is about delivery.)
  if (ctx.byDefault && index.first[m.first] === ctx.subject) return null;
  // (Nor by a sentence that names no side but the point's own term: "'Soft state' = what's on the
  // shelves can shift by itself" after a sentence about ACID is about soft state.)
  if (label && index.before[m.last]! < 0 && index.after[m.last]! < 0) {
    const sentence = words[m.first]!.sentence;
    if ([...label].every((c) => words.some((w) => w.sentence === sentence && w.canon === c))) return null;
  }
  return of;
}

/** A point whose subject avoids a problem ("GraphQL avoids over- and under-fetching"): its phrases name the problem. */
const AVOIDING = /^[^,;:]{1,40}?\b(?:avoids|prevents)\b/i;

/**
 * Words that call what their sentence reports a mistake ("a common misconception is …", "… but
 * that's wrong", "it's tempting to think …"), or set it aside as the other side of a contrast.
 */
const REFUTING: ReadonlySet<string> = new Set([
  'myth', 'myths', 'misconception', 'misconceptions', 'mistake', 'mistakes', 'mistaken', 'misleading', 'wrong', 'incorrect',
  'false', 'untrue', 'fallacy', 'misunderstanding', 'misunderstood', 'oversimplification', 'oversimplified', 'nonsense',
  'trap', 'traps', 'pitfall', 'pitfalls', 'gotcha', 'gotchas', 'tempting', 'simplification', 'simplistic', 'outdated',
  'naive', 'naively', 'sloppy', 'confuse', 'confused', 'confusing', 'beware', 'hype', 'slogan', 'herring', 'misconceived',
  // (And what a contrast sets aside: "unlike a local transaction, which is just …", "whereas ACID …".)
  'unlike', 'whereas', 'contrast', 'comparison', 'opposed', 'compared',
]);
/** Who is reported ("people say …", "some think …") … */
const REPORTED: ReadonlySet<string> = new Set(['people', 'some', 'many', 'others', 'folks', 'everyone', 'beginners', 'juniors', 'devs', 'developers', 'they']);
/** … and what they do with the claim. */
const SAYING: ReadonlySet<string> = new Set([
  'say', 'says', 'said', 'think', 'thinks', 'thought', 'believe', 'believes', 'claim', 'claims', 'assume', 'assumes',
  'summarise', 'summarises', 'summarize', 'summarizes', 'call', 'calls', 'repeat', 'repeats', 'quote', 'quotes',
]);

/**
 * Whether a match sits in a sentence that reports it in order to refute it, or asks it: the
 * sentence calls something a myth, a mistake, wrong or not true, attributes what precedes the match
 * to others ("People often summarise it as 'pick any two', but …"), or is a question ("So can you
 * just pick any two of the three? No: …").
 */
function refuted(text: string, words: Word[], m: Match): boolean {
  const s = words[m.first]!.sentence;
  let from = m.first;
  while (from > 0 && words[from - 1]!.sentence === s) from--;
  let to = m.last;
  while (to + 1 < words.length && words[to + 1]!.sentence === s) to++;
  if (/^[^\p{L}\p{N}]*\?/u.test(text.slice(words[to]!.end))) return true;
  for (let i = from; i <= to; i++) {
    const w = words[i]!.raw;
    if (REFUTING.has(w)) return true;
    if (w === 'true' && i > 0 && NEGATORS.has(words[i - 1]!.raw)) return true;
    if (i < m.first && REPORTED.has(w) && words.slice(i + 1, i + 4).some((x) => SAYING.has(x.raw))) return true;
  }
  return false;
}

/** A counter-phrase of the point the answer states (a misconception that voids it), or null. */
function counterHit(point: KeyPoint, text: string, words: Word[], ctx?: AnswerContext): PointResult | null {
  for (const c of point.counter ?? []) {
    // (Nor is it made of a subject set against it: "Unlike ArrayList, LinkedList is a linked list"
    // does not say "ArrayList is a linked list".)
    // (Nor is a misconception named to refute it: "It's a myth that you can pick any two".)
    const hit = occurrences(c, words).find((m) => !m.negated && !ctx?.index?.against.slice(m.first, m.last + 1).includes(true) && !refuted(text, words, m) && !(ctx?.index && crossesSubject(c, words, m, ctx.index)));
    if (hit) {
      const ev = span(text, words, hit);
      return { covered: false, evidence: ev, match: hit, voided: `you wrote “${ev}”, which contradicts it`, misconception: true };
    }
  }
  return null;
}

/**
 * Whether a match reaches across another subject named between its words: "A monolith is simpler,
 * but microservices are made of small services" is no "monolith … made of small services". (A
 * subject the phrase itself names is its own: "MongoDB in front of Redis".)
 */
function crossesSubject(phrase: string, words: Word[], m: Match, index: SubjectIndex): boolean {
  const own = phraseWords(phrase);
  for (let i = m.first + 1; i < m.last; i++) if (index.named[i]! >= 0 && !own.some((p) => wordMatches(p, words[i]!))) return true;
  return false;
}

export function judgePoint(point: KeyPoint, text: string, words: Word[], ctx?: AnswerContext): PointResult {
  const countered = counterHit(point, text, words, ctx);
  if (countered) return countered;
  let negatedHit: Match | null = null;
  let swapped: Match | null = null;
  // A match that states a claim beats one that only names the terms; then the longest matching
  // phrase is the best evidence (and tells an explanation from a bare term).
  let best: Match | null = null;
  let bestClaim = false;
  // Whether the phrase being matched is a term (names a thing), and whether any match stated more.
  let naming = false;
  let stated = false;
  const claimed = (m: Match) =>
    !ctx || ((ctx.claims.has(words[m.first]!.clause) || ctx.claims.has(words[m.last]!.clause)) && !(ctx.listed?.has(m.first) && ctx.listed.has(m.last)));
  let swappedTo = 0;
  const consider = (m: Match, near = false) => {
    // Said of the other subject of a comparison: the swapped claim, not this point.
    // (Unless the point is that its subject avoids what the match names: "REST clients
    // over-fetch" is the other side of "GraphQL avoids over-fetching", not a swapped claim.)
    const of = avoiding ? null : otherSubject(text, words, m, ctx, labelTerm);
    // (Most of a phrase — `near`, "a slow call" for "slow external calls" — is no swapped claim.)
    if (of !== null && !near && !swapped) [swapped, swappedTo] = [m, of];
    if (of !== null) return;
    const c = claimed(m);
    if (!naming || (tags && spanActs(words, tags, m))) stated = true;
    if (!best || (c && !bestClaim) || (c === bestClaim && m.last - m.first > best.last - best.first)) {
      best = m;
      bestClaim = c;
    }
  };
  const denial = pointDenies(point);
  const avoiding = AVOIDING.test(point.point);
  const labelTerm = labelTermOf(point);
  const tags = ctx?.tags;
  for (const ph of point.phrases) {
    naming = isTerm(ph);
    // (A term of a point that is a denial — "failure of one" for "one failing service need not
    // take down everything" — is stated by its verb negated.)
    const term = denial && naming && !labelledBy(point, ph);
    const found = occurrences(ph, words);
    const ms = found.length === 0 ? found : found.map((m) => (term ? (m.verbDenied ? { ...m, negated: false } : m) : !m.negated && tags && subjectNegated(words, tags, m) ? { ...m, negated: true } : m));
    for (const m of ms) if (!m.negated && !definedTerm(text, words, m)) consider(m);
    // (Only the question's own words denied — "when a class does not include a constructor" to
    // "When does C++ create a default constructor?" — deny no point: the question is about them.)
    // (Nor does a denial said of the other side of a comparison: "no node of a circular list holds
    // NULL" denies nothing about the basic list.)
    negatedHit ??= ms.find((m) => m.negated && !askedOnly(words, m, ctx) && otherSubject(text, words, m, ctx) === null) ?? null;
  }
  naming = false;
  for (const ph of point.negated ?? []) {
    const ms = occurrences(ph, words);
    for (const m of ms) if (m.negated) consider(m);
    negatedHit ??= ms[0] ?? null;
  }
  // Wording the phrases did not foresee exactly: most of a phrase, in order, in one sentence.
  if (!best && !negatedHit && !swapped) {
    for (const ph of point.phrases) {
      for (const near of nearPhrases(ph)) {
        for (const m of ordered(near.words, words)) if (!m.negated && !definedTerm(text, words, m) && ctx?.tags && stoodIn(near, words, m, ctx.tags)) consider(m, true);
        if (best) break;
      }
      if (best) break;
    }
  }
  // A suggestion's point, its phrases drafted from one statement: said in other words.
  if (!best && !negatedHit && !swapped && ctx?.statement) negatedHit = inOtherWords(words, ctx, (m) => ((naming = true), consider(m)));
  if (best) return { covered: true, evidence: span(text, words, best), match: best, voided: null, claimed: bestClaim, named: !stated && !saidOfAsked(words, best, ctx), termOnly: !stated, denied: !stated && negatedHit?.negated ? negatedHit : undefined };
  if (swapped && ctx?.subjects && ctx.subject !== null) {
    const ev = span(text, words, swapped);
    const other = ctx.subjects[swappedTo]![0]!;
    return { covered: false, evidence: ev, match: swapped, voided: `you wrote “${ev}”, which is said of ${other}, not of the subject this point is about`, misconception: true, swapped: true };
  }
  if (negatedHit) {
    const ev = span(text, words, negatedHit);
    const wrongWay = (point.negated ?? []).length > 0 && !negatedHit.negated;
    return { covered: false, evidence: ev, match: negatedHit, voided: wrongWay ? `you wrote “${ev}”, the opposite of it` : `you wrote “${ev}”, which denies it` };
  }
  return { covered: false, evidence: null, match: null, voided: null };
}

export interface DetailedGrade extends GradeResult {
  points: { point: KeyPoint; result: PointResult }[];
}

export function quality(points: readonly KeyPoint[], covered: readonly KeyPoint[], weight: (k: KeyPoint) => number = () => 1): number {
  const required = points.filter((k) => !k.bonus);
  const base = required.length > 0 ? required : points;
  if (base.length === 0) return 0;
  const sum = (ks: KeyPoint[]) => ks.reduce((a, k) => a + weight(k), 0);
  const req = sum(covered.filter((k) => base.includes(k)));
  const bonus = required.length > 0 ? sum(covered.filter((k) => k.bonus)) : 0;
  return Math.min(1, (req + BONUS_WEIGHT * bonus) / base.length);
}

function coversAllRequired(points: readonly KeyPoint[], covered: readonly KeyPoint[]): boolean {
  const required = points.filter((k) => !k.bonus);
  return required.length > 0 && required.every((k) => covered.includes(k));
}

/** Content words a text adds beyond another (the question), by canonical stem. */
function addedBeyond(words: Word[], other: Word[]): number {
  return wordsOfItsOwn(words, new Set(other.filter((w) => w.content).map((w) => w.canon)));
}

/** Distinct content words (canonical stems) of a text that are not among `known`. */
function wordsOfItsOwn(words: Word[], known: ReadonlySet<string>): number {
  return new Set(words.filter((w) => w.content && !STOPWORDS.has(w.raw) && !known.has(w.canon)).map((w) => w.canon)).size;
}

/** Share of an answer's content words from the question's own vocabulary above which it may be a salad. */
const SALAD_VOCABULARY = 0.75;
const COPULAS: ReadonlySet<string> = new Set(['is', 'are', 'was', 'were', 'be', 'means', 'mean']);
/** An answer with this many distinct words of its own (beyond the question's terms) explains something. */
const SALAD_MAX_EXPLAINING = 6;

const vocabularies = new WeakMap<Question, Set<string>>();

/** The question's terms: its title, prompt, topics and every key point and phrase (canonical stems). */
function vocabularyOf(q: Question): Set<string> {
  let v = vocabularies.get(q);
  if (!v) {
    const text = [q.title, q.prompt, ...q.topics, ...q.keyPoints.flatMap((k) => [...k.phrases, ...(k.negated ?? []), ...(k.counter ?? [])])].join('\n');
    v = new Set(analyse(text).map((w) => w.canon));
    vocabularies.set(q, v);
  }
  return v;
}

/**
 * A keyword salad: key terms named without explaining anything — a bare list, or terms dressed as
 * sentences ("It is atomicity. It is isolation and it is durability."). Judged by density (most
 * content words are the question's own terms) and sentence structure (most sentences hold nothing
 * but those terms), not by a list of glue words, so terse real sentences pass. Measured on the
 * labelled set: 97 % of salads, no good, paraphrased or wrong answer, 3 % of partial ones.
 */
function isSalad(text: string, words: Word[], question: Question, covered: number, stated: boolean, listAsked: boolean, bearing: ReadonlySet<number>): boolean {
  const content = words.filter((w) => !STOPWORDS.has(w.raw));
  // Naming one thing tersely ("unique function signatures", "left, middle, right") is an answer;
  // a salad names several of the points without explaining any.
  if (content.length < 3 || covered < 2) return false;
  const vocab = vocabularyOf(question);
  // A list is read in the sentences that name the points: a frame around it ("ANSWER KEY: Java
  // quiz", "Award one mark per term") explains none of it. (Not a table: its rows relate what its
  // columns name, "| get(i) | O(1) | O(n) |".)
  const table = text.split('\n').filter((l) => (l.match(/\|/g) ?? []).length >= 2).length >= 2;
  const listed = bearing.size > 0 && !table ? words.filter((w) => bearing.has(w.sentence)) : words;
  const listText = listed === words ? text : sentencesText(text, listed);
  const listContent = listed.filter((w) => !STOPWORDS.has(w.raw));
  // Words of its own beyond the question's terms: an answer that has some explains something
  // (a list of steps after an explanatory sentence is an answer, not a salad).
  const explaining = new Set(listContent.filter((w) => !vocab.has(w.canon)).map((w) => w.canon)).size;
  if (explaining >= SALAD_MAX_EXPLAINING) return false;
  // A bare list of terms: items separated by commas, slashes or lines, almost no function words.
  const functionWords = listed.filter((w) => STOPWORDS.has(w.raw) && !TERM_PARTS.has(w.raw)).length / listed.length;
  const separators = (listText.match(/[,;/|]/g) ?? []).length + listText.split(/\n/).filter((l) => l.trim()).length - 1;
  // (Three or more terms with not one function word is a list too, however short.)
  // ("O(log n)", "left middle right": one term, or three words, is a terse answer, not a list; a
  // list is the answer to a question that asks for one.)
  const bareTerms = functionWords === 0 && (separators >= 2 || listed.length >= MIN_WORDS);
  const sparse = listed.length >= MIN_WORDS && (functionWords < 0.1 || (separators >= Math.max(3, listed.length / 3) && functionWords < 0.2));
  if (!listAsked && (bareTerms || sparse)) return true;
  // Most points stated in claims ("Atomicity means a transaction is all or nothing"): an answer,
  // however dense in the question's own terms.
  if (stated || content.filter((w) => vocab.has(w.canon)).length / content.length < SALAD_VOCABULARY) return false;
  // Sentence structure: "X is Y" (or "X: Y") with nothing but the question's terms on both sides.
  // A list of steps or a terse explanation has verbs or words of its own.
  const sentences = new Map<number, { own: boolean; copula: boolean }>();
  for (const [i, w] of words.entries()) {
    const s = sentences.get(w.sentence) ?? { own: false, copula: false };
    if (COPULAS.has(w.raw)) s.copula = true;
    // ("Scope: the scope of OAuth.": a label glossed by its own word again equates terms as "is" does.)
    if (words[i + 1]?.sentence === w.sentence && /^\s*:/.test(text.slice(w.end, words[i + 1]!.start)) && words.some((x, k) => k > i && x.sentence === w.sentence && x.canon === w.canon)) s.copula = true;
    if (!STOPWORDS.has(w.raw) && !vocab.has(w.canon)) s.own = true;
    sentences.set(w.sentence, s);
  }
  // At least three such sentences: "ZooKeeper is CP, Cassandra is AP." ends many a correct answer.
  const bare = [...sentences.values()].filter((s) => s.copula && !s.own).length;
  return bare >= 3 && bare / sentences.size > 0.5;
}

/** The sentences an answer's covered (or swapped) points were found in. */
function namingSentences(words: Word[], points: readonly { result: PointResult }[]): Set<number> {
  return new Set(points.filter((p) => (p.result.covered || p.result.swapped) && p.result.match).map((p) => words[p.result.match!.first]!.sentence));
}

/** The text of the sentences some words are in, one line each. */
function sentencesText(text: string, words: readonly Word[]): string {
  const spans = new Map<number, [number, number]>();
  for (const w of words) {
    const span = spans.get(w.sentence);
    if (span) span[1] = w.end;
    else spans.set(w.sentence, [w.start, w.end]);
  }
  return [...spans.values()].map(([a, b]) => text.slice(a, b)).join('\n');
}

const referenceWords = new WeakMap<Question, Reference[]>();
const askedCache = new WeakMap<Question, Word[]>();

/** The question as asked (title and prompt), analysed once. */
function askedWords(question: Question): Word[] {
  let w = askedCache.get(question);
  if (!w) {
    w = analyse(`${question.title}\n${question.prompt}`);
    askedCache.set(question, w);
  }
  return w;
}

const askedStemCache = new WeakMap<Question, Set<string>>();

/** The canonical stems of the question as asked. */
function askedStems(question: Question): Set<string> {
  let s = askedStemCache.get(question);
  if (!s) {
    s = new Set(askedWords(question).map((w) => w.canon));
    askedStemCache.set(question, s);
  }
  return s;
}

/** Distinct content stems of a text that the question itself does not use. */
function ownStems(words: Word[], question: ReadonlySet<string>): Set<string> {
  return new Set(words.filter((w) => w.content && !STOPWORDS.has(w.raw) && !question.has(w.canon)).map((w) => w.canon));
}

/**
 * How close an answer is to the nearest curated sample answer: the cosine of their sets of content
 * stems, leaving out the question's own words (repeating the question is not closeness). With
 * `stating`, only the words it accepts count as shared: an answer that lists the sample's terms is
 * not close to what the sample says.
 */
export function closeness(question: Question, words: Word[], stating?: (i: number) => boolean): number {
  const asked = askedStems(question);
  const references = referencesOf(question);
  const mine = ownStems(words, asked);
  const said = stating ? ownStems(words.filter((_, i) => stating(i)), asked) : mine;
  let best = 0;
  for (const r of references) {
    if (!r.stems.size || !mine.size) continue;
    let shared = 0;
    for (const w of said) shared += r.stems.has(w) ? 1 : r.synonyms.has(w) ? SYNONYM_SHARE : 0;
    best = Math.max(best, shared / Math.sqrt(r.stems.size * mine.size));
  }
  return best;
}

/** A question's references, read once (`prepareGrading` reads them a slice at a time before a reveal). */
function referencesOf(question: Question): Reference[] {
  let references = referenceWords.get(question);
  if (!references) {
    const asked = askedStems(question);
    references = referenceTexts(question).map((t) => referenceOf(t, asked));
    referenceWords.set(question, references);
  }
  return references;
}

/** The texts an answer's closeness is measured against. */
function referenceTexts(question: Question): string[] {
  const texts = question.sampleAnswers.map((a) => a.text);
  // An editor's required points, read together, are a reference answer in short: the claims
  // said plainly, without the sample's examples; with the sample answers, the fullest one.
  if (!question.author) {
    const statements = question.keyPoints.filter((k) => !k.bonus).map((k) => k.point);
    // The same points' phrases are a third: the editor's list of the ways a correct answer says
    // each of them ("every request gets an answer", "keep working when the network splits").
    const phrases = question.keyPoints.filter((k) => !k.bonus).flatMap((k) => k.phrases);
    texts.push(statements.join('\n'), [...statements, ...texts].join('\n'), phrases.join('\n'));
    return texts;
  }
  // A suggestion's points, when the member (and the admin who approved them) wrote each as a
  // sentence, are the same kind of reference; points drafted from the sample add nothing the
  // sample does not say, and a list of terms ("mutex", "lock ordering") would reward naming them.
  // (Its drafted phrases are not a reference.)
  const written = question.keyPoints.filter((k) => !k.bonus && !k.drafted).map((k) => k.point);
  if (written.length > 0 && written.every((p) => p.split(/\s+/).length >= SENTENCE_WORDS)) texts.push(written.join('\n'), [...written, ...texts].join('\n'));
  return texts;
}

/**
 * What grading a question needs once, built before a reveal grades its answers: its phrases read
 * and tagged a point at a time, and its references (and their synonyms) a reference at a time,
 * `pause` between them, so that no slice of the reveal does it for a whole question at once (tens
 * of milliseconds).
 */
export async function prepareGrading(question: Question, pause: () => Promise<void>): Promise<void> {
  if (!referenceWords.has(question)) await prepareOwn(question, pause);
  // The bank's other questions' references too, a question at a time: an answer is weighed
  // against them when it may be about one of them (`aboutAnother`). (Also when this question was
  // graded before, by `/quiz cap` or at start-up: the bank's index may still be unbuilt.)
  const group = peersOf(question);
  if (group && (!group.index || !bankWords.has(group))) {
    for (const peer of group.questions) {
      if (!peerRefs.has(peer) || !questionWords.has(peer)) {
        peerReferences(peer);
        wordsOf(peer);
        await pause();
      }
    }
    peerIndex(group);
    wordsOfBank(question);
  }
}

/** The question's own phrases, terms and references, a slice at a time. */
async function prepareOwn(question: Question, pause: () => Promise<void>): Promise<void> {
  // Each point's phrases read and tagged (cached by phrase for the process), a point at a time.
  for (const k of question.keyPoints) {
    for (const ph of [...k.phrases, ...(k.counter ?? []), ...(k.negated ?? [])]) {
      phraseWords(ph);
      isTerm(ph);
      nearPhrases(ph);
    }
    if (question.author) statementOf(k, askedStems(question));
    await pause();
  }
  termsOf(question);
  const asked = askedStems(question);
  const references: Reference[] = [];
  for (const text of referenceTexts(question)) {
    references.push(referenceOf(text, asked));
    await pause();
  }
  referenceWords.set(question, references);
}

/**
 * A word of the answer that is a WordNet synonym of a reference's word counts as half a shared
 * word: a paraphrase says the same in other words, but a synonym of one of a word's senses is
 * weaker evidence than the word itself.
 */
const SYNONYM_SHARE = 0.5;
/** Senses of a reference word whose synonyms count (WordNet lists the commonest first). */
const SYNONYM_SENSES = 3;
const WORDNET_POS: readonly WordnetPos[] = ['noun', 'verb', 'adj', 'adv'];

interface Reference {
  /** Its content stems (not the question's own words). */
  stems: Set<string>;
  /** Stems of the WordNet synonyms of its words, in any part of speech ("response" → "reply", "answer"). */
  synonyms: Set<string>;
}

const synonymCache = new Map<string, readonly string[]>();

/** The stems of a word's WordNet synonyms, as written and as its lemma (once per word and process). */
function synonymsOf(raw: string, lemma: string): readonly string[] {
  const key = `${raw} ${lemma}`;
  let out = synonymCache.get(key);
  if (!out) {
    const found = new Set<string>();
    for (const pos of WORDNET_POS)
      for (const form of new Set([raw, lemma]))
        for (const sense of sensesOf(form, pos, SYNONYM_SENSES))
          for (const x of sense.words) if (!x.includes('_') && !STOPWORDS.has(x)) found.add(canonOf(x));
    out = [...found];
    // (Bounded like the stems: a process that sees many suggested questions keeps the common words.)
    if (synonymCache.size > 50_000) synonymCache.clear();
    synonymCache.set(key, out);
  }
  return out;
}

/** A reference text's words and their synonyms (once per question, when it is first graded). */
function referenceOf(text: string, asked: Set<string>): Reference {
  const words = analyse(text);
  const stems = ownStems(words, asked);
  const synonyms = new Set<string>();
  // (Every part of speech: a paraphrase often says with a verb what the sample says with a noun.)
  const tags = tagWords(text, words);
  words.forEach((w, i) => {
    if (!stems.has(w.canon)) return;
    for (const c of synonymsOf(w.raw, tags[i]!.lemma)) if (!stems.has(c) && !asked.has(c)) synonyms.add(c);
  });
  return { stems, synonyms };
}

/** What a point's statement says, word by word: its words of substance and their WordNet synonyms. */
interface Statement {
  stems: ReadonlySet<string>;
  synonyms: ReadonlySet<string>;
  /** The statement is a negated verb ("A container does not boot its own guest OS"): an answer's denial agrees with it. */
  denies: boolean;
}

/**
 * Distinct words of a suggestion's point statement (or synonyms of them) that one clause of an
 * answer needs to say the point in other words: one word names a topic, two relate something.
 */
const STATEMENT_WORDS = 2;

const statements = new WeakMap<KeyPoint, Statement>();

/**
 * The words of substance of a point's statement — not the question's own words, not generic ones
 * ("important", "way"), not light verbs ("uses", "provides") nor verbs of saying ("Names …",
 * "Explains …": what an answer should do, not what it says) — with their WordNet synonyms (any
 * part of speech, the three commonest senses, as closeness reads them). Once per point.
 */
function statementOf(point: KeyPoint, asked: ReadonlySet<string>): Statement {
  let st = statements.get(point);
  if (!st) {
    const words = analyse(point.point);
    const tags = tagWords(point.point, words);
    const kept = words
      .map((w, i) => ({ w, tag: tags[i]! }))
      .filter(({ w }) => isSpecific(w) && w.raw.length > 1 && !asked.has(w.canon))
      .filter(({ tag }) => tag.pos !== 'VERB' || (!LIGHT_VERBS.has(tag.lemma) && metaVerbKind(tag.lemma) !== 'saying'));
    const stems = new Set(kept.map(({ w }) => w.canon));
    const synonyms = new Set<string>();
    for (const { w, tag } of kept) for (const c of synonymsOf(w.raw, tag.lemma)) if (!stems.has(c) && !asked.has(c)) synonyms.add(c);
    st = { stems, synonyms, denies: pointDenies(point) };
    statements.set(point, st);
  }
  return st;
}

/**
 * The clauses of an answer that say a point's statement in other words: STATEMENT_WORDS distinct
 * words of it, or synonyms of them, in one clause ("keeps everything in RAM as key-value pairs" for
 * "Redis is an in-memory key-value store") that states a claim with a verb other than the
 * question's own words (its own word may be the verb: "when traffic bursts"; a list of terms,
 * "bloom filter hash bits", relates nothing). A negator anywhere in the clause denies it ("workers
 * never take the slow jobs"), or, when the statement is itself a denial, agrees with it. A member's point comes with phrases drafted from its own words only,
 * so a correct answer in other words would otherwise earn nothing for it (curated points list
 * those ways).
 */
function statedIn(words: Word[], { statement: st, claims, tags = [], asked }: AnswerContext): Match[] {
  if (!st) return [];
  const byClause = new Map<number, number[]>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.content || !claims.has(w.clause) || (!st.stems.has(w.canon) && !st.synonyms.has(w.canon))) continue;
    const at = byClause.get(w.clause);
    if (at) at.push(i);
    else byClause.set(w.clause, [i]);
  }
  const out: Match[] = [];
  for (const [clause, idx] of byClause) {
    if (new Set(idx.map((i) => words[i]!.canon)).size < STATEMENT_WORDS) continue;
    const first = idx[0]!;
    const last = idx.at(-1)!;
    let negated = false;
    let related = false;
    // (A clause's words are consecutive.)
    let a = first;
    while (a > 0 && words[a - 1]!.clause === clause) a--;
    for (let i = a; i < words.length && words[i]!.clause === clause; i++) {
      if (isNegator(words, i)) negated = true;
      if (tags[i] && !asked?.has(words[i]!.canon) && actsAsVerb(words, tags, i)) related = true;
    }
    if (related) out.push({ first, last, negated: negated !== st.denies });
  }
  return out;
}

/** Passes each clause that says a suggestion's point in other words to `consider`; returns one that denies it, if any. */
function inOtherWords(words: Word[], ctx: AnswerContext, consider: (m: Match) => void): Match | null {
  let denied: Match | null = null;
  for (const m of statedIn(words, ctx)) {
    if (!m.negated) consider(m);
    else denied ??= m;
  }
  return denied;
}

/**
 * A labelled term named as the subject of another term's claim — "A Singleton makes complex objects
 * piece by piece" (the Builder's) — names its point wrongly: when a point is covered only by its own
 * label, and the label's clause, about it alone, states a phrase of another labelled point, the
 * point is not earned. Only labels that are terms the points define, not headings ("Measures and
 * plans: …", whose words an answer uses in passing).
 */
function labelsOfOthers(text: string, words: Word[], points: { point: KeyPoint; result: PointResult }[], of: Map<KeyPoint, number | null>, subjects: string[][], index: SubjectIndex): void {
  for (const p of points) {
    const m = p.result.match;
    const own = of.get(p.point);
    if (!p.result.covered || !m || own === null || own === undefined || !labelIsTerm(p.point) || !namesSubject(index, m, own)) continue;
    const clause = words[m.first]!.clause;
    for (const q of points) {
      const other = of.get(q.point);
      if (q === p || other === null || other === undefined || other === own || !labelIsTerm(q.point)) continue;
      const claim = q.point.phrases.flatMap((ph) => occurrences(ph, words)).find((o) => !o.negated && words[o.first]!.clause === clause && index.clauseTopic[o.first] === own && !namesSubject(index, o, other));
      if (!claim) continue;
      const ev = span(text, words, claim);
      p.result = { covered: false, evidence: ev, match: claim, voided: `you wrote “${ev}”, which says of ${subjects[own]![0]} what is said of ${subjects[other]![0]}` };
      break;
    }
  }
}

const definitions = new WeakMap<Question, Term[]>();

/** The terms a question's references define, with the words they define each by (definitions.ts; once per question). */
function termsOf(question: Question): Term[] {
  let terms = definitions.get(question);
  if (!terms) {
    terms = definedTerms(question, analyse, askedStems(question));
    definitions.set(question, terms);
  }
  return terms;
}

/**
 * Claims said of the wrong term, voided as wrong claims: a labelled term named as the subject of
 * another's claim (`labelsOfOthers`), and a definition swapped between two defined terms.
 *
 * A point claimed in a statement that says of one of the question's defined terms what its
 * references say of another ("Factory makes sure a class has exactly one instance", of the
 * references' Singleton) is voided: a wrong claim, costed as one.
 */
function misattributed(question: Question, text: string, words: Word[], points: { point: KeyPoint; result: PointResult }[], labelled: { of: Map<KeyPoint, number | null>; subjects: string[][]; index: SubjectIndex } | null): void {
  if (labelled) labelsOfOthers(text, words, points, labelled.of, labelled.subjects, labelled.index);
  swappedDefinitions(question, text, words, points);
}

function swappedDefinitions(question: Question, text: string, words: Word[], points: { point: KeyPoint; result: PointResult }[]): void {
  const terms = termsOf(question);
  if (terms.length < 2) return;
  for (const swap of swappedClauses(words, terms, askedStems(question), (i) => isNegator(words, i))) {
    for (const p of points) {
      const m = p.result.match;
      if (!p.result.covered || !m || m.first < swap.first || m.first > swap.last) continue;
      const ev = span(text, words, m);
      p.result = { covered: false, evidence: ev, match: m, misconception: true, voided: `you wrote “${ev}”, which says of ${swap.said.name} what is said of ${swap.meant.name}` };
    }
  }
}

const termLabels = new WeakMap<KeyPoint, boolean>();

/** Whether a point's label is a term it defines, one of its own phrases ("Atomicity: …"), not a heading ("Measures and plans: …"). */
function labelIsTerm(point: KeyPoint): boolean {
  let t = termLabels.get(point);
  if (t === undefined) {
    const label = pointLabel(point);
    const norm = (x: string) => phraseWords(x).map((w) => w.canon).join(' ');
    t = label !== null && point.phrases.some((ph) => norm(ph) === norm(label));
    termLabels.set(point, t);
  }
  return t;
}

/** A question's subjects, the one each key point speaks of, and whether they are the points' own labels. */
interface PointSubjects {
  subjects: string[][] | null;
  of: Map<KeyPoint, number | null>;
  labels: boolean;
  /** Points bound to the first subject only because the question is about it. */
  byDefault?: Set<KeyPoint>;
}

const subjectCache = new WeakMap<Question, PointSubjects>();

/** A comparison question's subjects, and which one each key point speaks of (once per question). */
function subjectsFor(question: Question): PointSubjects {
  let s = subjectCache.get(question);
  if (!s) {
    const sides = subjectsOf(question, canonOf);
    const subjects = sides && withShortForms(question, sides, analyse);
    const of = new Map<KeyPoint, number | null>();
    // ("What is X, and how does it differ from Y?": a point that names neither is about X.)
    const first = subjects !== null && aboutFirstSubject(question);
    const byDefault = new Set<KeyPoint>();
    if (subjects) {
      for (const k of question.keyPoints) {
        const own = pointSubject(k, subjects, analyse);
        if (own === null && first && !namesAnySubject(k, subjects, analyse)) byDefault.add(k);
        of.set(k, own ?? (byDefault.has(k) ? 0 : null));
      }
    }
    s = subjects ? { subjects, of, labels: false, byDefault } : (labelSubjects(question) ?? { subjects: null, of, labels: false });
    subjectCache.set(question, s);
  }
  return s;
}

/**
 * Points labelled by the term they define ("Atomicity: all operations happen or none do", "DRY:
 * don't repeat yourself"): each label is a subject, and a claim said of another point's label
 * ("Atomicity means committed data survives a crash") is that other term's, not this point. A
 * label counts when its word is also one of the point's phrases (it names a term, not a heading
 * like "Risks:"); two such labels at least. The word that tells each label from the others is
 * its subject's form.
 */
function labelSubjects(question: Question): PointSubjects | null {
  const labelled: { point: KeyPoint; words: Word[] }[] = [];
  for (const k of question.keyPoints) {
    const label = pointLabel(k);
    if (!label) continue;
    const ws = analyse(label).filter((w) => w.content);
    if (ws.length === 0 || ws.length > 3) continue;
    const phraseCanons = new Set(k.phrases.flatMap((p) => phraseWords(p).map((w) => w.canon)));
    if (ws.some((w) => phraseCanons.has(w.canon))) labelled.push({ point: k, words: ws });
  }
  if (labelled.length < 2) return null;
  const subjects: string[][] = [];
  const of = new Map<KeyPoint, number | null>();
  for (const l of labelled) {
    const own = l.words.find((w) => !labelled.some((o) => o !== l && o.words.some((x) => x.canon === w.canon)));
    if (!own) return null;
    of.set(l.point, subjects.length);
    subjects.push([own.raw, own.canon]);
  }
  return { subjects, of, labels: true };
}

/** "List three …", "What are the most common …", "What kinds of …": a list of names is the answer asked for. */
const LISTING = /^\s*(?:(?:can you |could you )?(?:name|list|identify|enumerate|give)\b|what (?:are|were)\b(?! the (?:key |main )?differences?)|what (?:kinds|types|sorts)\b)/i;

/**
 * Weight of a point the answer only names (no clause states it) when most of what it covers is
 * named, not stated: a keyword salad, whatever words join the terms. A tenth since 2026-12-07 (a
 * fifth before): tuned salads 0.181/0.321/0.312 → 0.088/0.239/0.234, tuned Mohler r −0.003 (the
 * answers of a few words it flags are often right; the verb repairs of the same change gained it
 * back), tuned good answers −0.003.
 */
const NAMED_WEIGHT = 0.1;
/** Items a list may have beyond the question's key points and still be the list a question asks for. */
const LIST_SLACK = 3;
/** What a wrong claim costs beyond the point it voids, in required points (the model grader's too). */
const WRONG_CLAIM_COST = 2;
/**
 * An answer that covers this many points or more, this share of them by their names alone (no
 * phrase that states something matched), in this many words or more, names its points: a salad
 * whatever verbs join the names. Chosen on the tuned sets (tune4's 45 salads, written with glues
 * nobody had listed, were the reason): share 0.7 and 35 words left every tuned Mohler answer and
 * bank sample answer as it was (no length floor: tuned r 0.641, terse correct answers name their
 * points); tune4 salads 0.731 → 0.598, tune2 wrong-right-words 0.327 → 0.226. Held out: Mohler r
 * 0.621 → 0.618, wrong-right-words −0.05 to −0.18 on sets 2–5, AUC up on sets 2–6 (docs/grading.md).
 */
const NAMES_ONLY_POINTS = 3;
const NAMES_ONLY_SHARE = 0.7;
const NAMES_ONLY_WORDS = 35;
/**
 * What an answer to a behavioural (story) question earns at most when it names no concrete
 * detail (experience.ts). Chosen on the tuned sets: tune5's story question (18 answers) and the
 * team set's three; a quarter to a fifth lowered salads most (0.771 → 0.64 on tune5) and changed
 * no good, paraphrased or partial answer; no tuned Mohler answer or bank sample answer is one.
 * Held to every behavioural question since 2026-12-08 (it was only those whose prompt asks about
 * the past): tune5 AUC 0.569 → 0.754, no good answer moved, tuned or held out.
 */
const NO_EXAMPLE_CAP = 0.25;
/**
 * A story question's answer with this many distinct words of its own (beyond the question's
 * vocabulary) tells details, numbers and names or not. The tuned salads it catches have 2–10;
 * every good, paraphrased or partial story answer in the tuned sets has 3 or more details or 25
 * or more words of its own.
 */
const NO_EXAMPLE_OWN_WORDS = 12;
/** Points only named make a salad from this many words on (fewer is a terse answer). */
const SALAD_MIN_WORDS = 12;
/**
 * An answer of this many words or more that shares no more than chance overlap with every reference
 * (closeness below CLOSENESS_MIN) answers another question: a connection-pool answer to "MongoDB vs
 * Redis" brushes "keeps … database" and would earn two points. Shorter answers are exempt (a short
 * correct answer shares few words with a long sample answer: on the tuned Mohler chapters, with a
 * floor of 12 words, r fell 0.670 → 0.665).
 */
const OFF_TOPIC_WORDS = 25;
/**
 * Closeness at or below this keeps nothing of an off-topic answer's quality; from here up to
 * CLOSENESS_MIN it keeps a growing share. Chosen on the tuned sets from 0.05, 0.08, 0.10, 0.12
 * and 0.149: off-topic −0.02…−0.11 at 0.10 for paraphrase −0.005 (tune3), where 0.12 cost more.
 */
const OFF_TOPIC_FLOOR = 0.1;
/**
 * Universal quantifiers and words of certainty: general English, not any question's vocabulary
 * (overclaimed). "Never" and "none" are also negators; they are absolutes as much.
 */
const ABSOLUTES: ReadonlySet<string> = new Set(['always', 'never', 'every', 'everything', 'all', 'any', 'whenever', 'none', 'nothing', 'nobody', 'only', 'simply', 'literally', 'automatically', 'completely', 'entirely', 'fully', 'totally', 'guaranteed', 'impossible', 'definitely', 'certainly', 'obviously', 'basically', 'just']);
/**
 * Absolutes per 100 words above which an answer overclaims, and how many more take it to the floor.
 * Chosen on the tuned sets (3 or 4; spans 4 and 6; floors 0.3 and 0.5): at 3, good answers lost up
 * to 0.02 and partial ones 0.06; at 4, good answers lost nothing above 0.002 and paraphrases 0.005.
 * Fewer than OVERCLAIM_WORDS words are not judged: at 20, tuned Mohler r fell 0.010 (in a short
 * answer one "all" is 5 %).
 */
const OVERCLAIM_DENSITY = 4;
const OVERCLAIM_SPAN = 4;
const OVERCLAIM_FLOOR = 0.3;
const OVERCLAIM_WORDS = 30;

/**
 * Loads what grading needs once (the tagger's model, WordNet's indexes: ~1 s) so that the first
 * reveal does not stall the event loop doing it. Called when a bank loads.
 */
export function warmGrader(question?: Question): void {
  warmTagger();
  // (The first grading in a process also compiles the grader's code: tens of milliseconds that
  // would otherwise stall the event loop inside the first reveal after a start.)
  const sample = question?.sampleAnswers[0];
  if (question && sample) gradeDetailed(question, sample.text);
}

/**
 * The sentences in which points are only named, with nothing relating their terms. However short,
 * an answer that names a point per sentence, three or more, and states none is a salad:
 * "Obviously atomicity. Obviously consistency. Obviously isolation." A sentence that relates its
 * terms, with a preposition or a verb, is a terse note, not a name: "Redis in memory. Cache-aside.
 * TTL for expiry."
 */
function bareNamingSentences(words: Word[], tags: readonly Tag[], matches: readonly Match[], topical: ReadonlySet<number>): number {
  // (Not "of course" or "think of X": a preposition that only introduces a topic, or a clause that
  // only names topics, relates nothing.)
  const relating = (w: Word, i: number) => !topical.has(w.clause) && ((tags[i]!.pos === 'ADP' && !TOPIC_ADP.has(w.raw)) || (tags[i]!.pos === 'VERB' && actsAsVerb(words, tags, i)));
  const relates = (s: number) => words.some((w, i) => w.sentence === s && relating(w, i));
  const sentences = new Set(matches.map((m) => words[m.first]!.sentence));
  return [...sentences].filter((s) => !relates(s)).length;
}

/** A sentence strings terms together from this many words on (a terse definition is shorter). */
const CROWDED_MIN_WORDS = 20;

/**
 * Sentences that string many points' terms together with few verbs: "reproducing, the debugger and
 * the logs all come into play, with metrics being relevant alongside the profiler, while isolation,
 * git bisect and the root cause tie in with recent changes". Each claim needs a verb of its own: a
 * sentence of 20 words or more whose points (three or more, stated or named) outnumber its verbs,
 * and whose terms are joined by commas and "and"/"or" at least twice per point, names its points
 * rather than stating them — whatever the vague verbs between them. (A long definition relates its terms with
 * prepositions and comparisons, not lists: "the value in any node is greater than every node in
 * its left subtree"; a label before a colon — "Benefits: load balancing, TLS termination,
 * caching" — says what the terms are.)
 */
function crowdedSentences(text: string, words: Word[], tags: readonly Tag[], points: { point: KeyPoint; result: PointResult }[]): Set<number> {
  const per = new Map<number, number>();
  for (const p of points) {
    if (!p.result.covered || !p.result.match) continue;
    const s = words[p.result.match.first]!.sentence;
    per.set(s, (per.get(s) ?? 0) + 1);
  }
  const out = new Set<number>();
  for (const [s, n] of per) {
    if (n < 3) continue;
    const idx = words.flatMap((w, i) => (w.sentence === s ? [i] : []));
    if (idx.length < CROWDED_MIN_WORDS) continue;
    const labelled = idx.slice(0, 6).some((i, k) => k > 0 && /[:=]|\s[-–—]\s/.test(text.slice(words[idx[k - 1]!]!.end, words[i]!.start)));
    if (labelled) continue;
    const verbs = idx.filter((i) => tags[i]!.pos === 'VERB' && actsAsVerb(words, tags, i)).length;
    const joins = idx.filter((i) => words[i]!.afterComma || words[i]!.raw === 'and' || words[i]!.raw === 'or').length;
    if (verbs < n && joins >= 2 * n) out.add(s);
  }
  return out;
}

/**
 * Wording the key points did not foresee: an answer close to a sample answer earns part of the
 * difference (only an answer that contradicts no point and raises no flag: a negated sample answer
 * is close, and wrong). Words listed as items ("Redundancy, anomalies, joins and reads all
 * matter", a bulleted list of terms) are named, not said: they share no closeness.
 */
function withCloseness(question: Question, words: Word[], q: number, stating: (i: number) => boolean): number {
  const near = closeness(question, words, stating);
  return near >= CLOSENESS_MIN ? q + CLOSENESS_WEIGHT * Math.max(0, Math.min(CLOSENESS_CAP, CLOSENESS_SCALE * near) - q) : q;
}

/** Points an answer's one sentence names at once for it to be an enumeration of terms (`deniedAfterNaming`). */
const ENUMERATED_POINTS = 3;

/**
 * A point named by its terms only in an enumeration ("ACID stands for atomicity, consistency,
 * isolation and durability") and denied elsewhere in the answer ("Concurrent transactions aren't
 * isolated") is denied: naming a term is no claim that outweighs the claim's denial.
 */
function deniedAfterNaming(text: string, words: Word[], points: { point: KeyPoint; result: PointResult }[]): void {
  const perSentence = new Map<number, number>();
  for (const { result } of points) {
    const s = result.covered && result.match ? words[result.match.first]!.sentence : -1;
    perSentence.set(s, (perSentence.get(s) ?? 0) + 1);
  }
  for (const p of points) {
    const { covered, denied, match } = p.result;
    if (!covered || !denied || !match || (perSentence.get(words[match.first]!.sentence) ?? 0) < ENUMERATED_POINTS) continue;
    const ev = span(text, words, denied);
    p.result = { covered: false, evidence: ev, match: denied, voided: `you wrote “${ev}”, which denies it` };
  }
}

/**
 * An answer's clauses that state claims and its words named as list items (claims.ts), a label
 * counting as a term only when it is one of the question's own words (not a speaker or a field).
 */
function claimsOf(question: Question, text: string, words: Word[], tags: readonly Tag[]): { claims: Set<number>; verbal: Set<number>; topical: Set<number>; listed: Set<number>; items: number } {
  const known = (c: string): boolean => vocabularyOf(question).has(c);
  const { all: claims, verbal, topical } = claimClauses(text, words, tags, known);
  return { claims, verbal, topical, ...listedWords(text, words, tags, known) };
}

const bankWords = new WeakMap<PeerGroup, Set<string>>();
const questionWords = new WeakMap<Question, Set<string>>();

/** The words (canonical stems) of a question's sample answers, key points and phrases; once per question. */
function wordsOf(question: Question): Set<string> {
  let v = questionWords.get(question);
  if (!v) {
    v = new Set();
    for (const t of [...question.sampleAnswers.map((a) => a.text), ...question.keyPoints.flatMap((k) => [k.point, ...k.phrases])]) for (const w of analyse(t)) v.add(w.canon);
    questionWords.set(question, v);
  }
  return v;
}

/** The words a question's bank uses (`wordsOf` every question of it), or null outside a bank. */
function wordsOfBank(question: Question): Set<string> | null {
  const group = peersOf(question);
  if (!group) return null;
  let v = bankWords.get(group);
  if (!v) {
    v = new Set(group.questions.flatMap((q) => [...wordsOf(q)]));
    bankWords.set(group, v);
  }
  return v;
}

/**
 * Whether the verbs of a match's clause (beyond the match) are all foreign to the bank — none of
 * them a word of any question's sample answers, points or phrases: "the scopes rejoiced", "TTL falls
 * like cherry leaves", "Containerization empowers teams to leverage Docker". A bank's words are its
 * field's ("stores", "returns", "blocks", "expires"). Tuned: salad 0.368 → 0.356, no good or
 * paraphrased answer moved; held out (measured once): 5 wrong answers moved, AUC 0.725 → 0.727.
 * (First with the bank's verbs as tagged: the same grades, tuned and held out, at five times the
 * preparation.)
 */
function foreignVerbsOnly(question: Question, words: Word[], tags: readonly Tag[], m: Match): boolean {
  const known = wordsOfBank(question);
  if (!known) return false;
  const clause = words[m.first]!.clause;
  let any = false;
  for (let i = 0; i < words.length; i++) {
    if (words[i]!.clause !== clause || (i >= m.first && i <= m.last) || tags[i]!.pos !== 'VERB') continue;
    any = true;
    if (known.has(words[i]!.canon)) return false;
  }
  return any;
}

export function gradeDetailed(question: Question, text: string, words: Word[] = analyse(text)): DetailedGrade {
  const { subjects, of, labels, byDefault } = subjectsFor(question);
  const index = subjects ? subjectIndex(text, words, subjects) : undefined;
  const tags = tagWords(text, words);
  const { claims, verbal, topical, listed, items } = claimsOf(question, text, words, tags);
  const points = question.keyPoints.map((point) => ({ point, result: judgePoint(point, text, words, { claims, subjects, subject: of.get(point) ?? null, tags, listed, labels, asked: askedStems(question), index, byDefault: byDefault?.has(point) ?? false, statement: question.author ? statementOf(point, askedStems(question)) : undefined }) }));
  misattributed(question, text, words, points, labels && subjects && index ? { of, subjects, index } : null);
  deniedAfterNaming(text, words, points);
  const [covered, missed] = [points.filter((p) => p.result.covered).map((p) => p.point), points.filter((p) => !p.result.covered).map((p) => p.point)];
  const coverage = question.keyPoints.length ? covered.length / question.keyPoints.length : 0;
  const flags: GradeFlag[] = [];
  let bareList = false;
  // Terms named, claims not made: most covered points are only named.
  // (Terms strung together in one long sentence are named, whatever verbs sit between them.)
  const crowded = crowdedSentences(text, words, tags, points);
  // (An answer of some length that covers its points by their names alone, whatever verbs join
  // them — "atomicity feeds into consistency, which isolation carries forward" — names them.)
  const byName = points.filter((p) => p.result.covered && p.result.named).length;
  const namesOnly = covered.length >= NAMES_ONLY_POINTS && byName >= NAMES_ONLY_SHARE * covered.length && words.length >= NAMES_ONLY_WORDS;
  // (A term whose clause's verbs are all foreign to the bank's — "the CDN sings of it" — is named.)
  const named = points.filter((p) => p.result.covered && (!p.result.claimed || crowded.has(words[p.result.match!.first]!.sentence) || (namesOnly && p.result.named) || (p.result.termOnly && foreignVerbsOnly(question, words, tags, p.result.match!)))).map((p) => p.point);
  // Most points stated with verbs ("atomicity means …", "Redis keeps …"), not "X is Y" between terms.
  const stated = points.filter((p) => p.result.covered && p.result.match && verbal.has(words[p.result.match.first]!.clause)).length * 2 > covered.length;
  // A terse reply that names the answer ("data members and member functions", a short list of
  // three) is not a salad: a salad names two or more points at length (a bare list of terms,
  // however short, is caught by isSalad).
  // (A question that asks for a list is answered by one — but not by an answer that frames any of
  // it as topics to name: "Think about X, Y and Z", "You should mention X", "X and Y are relevant".)
  const framed = named.filter((k) => {
    const m = points.find((p) => p.point === k)!.result.match;
    return m !== null && topical.has(words[m.first]!.clause);
  }).length;
  // (A list far longer than the points asked for is a net cast for them, not the list asked for.)
  const listAsked = LISTING.test(question.prompt) && framed === 0 && items <= question.keyPoints.length + LIST_SLACK;
  const namedSentences = bareNamingSentences(words, tags, points.filter((p) => named.includes(p.point)).map((p) => p.result.match!), topical);
  // (More than two thirds named: notes that state the core points and list the rest — "Fix:
  // prepared statements … Extra layers: allow-lists, least privilege, WAF" — are an answer. On the
  // tuned sets no salad moved from half to two thirds; correct terse answers did, and at four
  // fifths salads that state one point of four escaped.)
  const claimPoor = named.length * 3 > covered.length * 2 && named.length >= 2 && (words.length >= SALAD_MIN_WORDS || (namedSentences >= 3 && named.length === covered.length)) && !listAsked;
  if (words.length === 0) flags.push('empty');
  // A word or two is a keyword, not an answer — unless it is the whole answer ("file scope",
  // "main function" to a short-answer question: every required point covered). A terse phrase that
  // covers something is scored.
  else if ((words.length < MIN_TERSE_WORDS && !coversAllRequired(question.keyPoints, covered)) || (words.length < MIN_WORDS && covered.length === 0)) flags.push('too-short');
  else {
    // The question pasted back: nothing (at most one word) added beyond the prompt and title.
    const prompt = askedWords(question);
    // Echo: nothing added to the question — or one word that earns nothing. "C++ programs begin
    // execution at main" adds one word, and it is the answer.
    const added = addedBeyond(words, prompt);
    if (added === 0 || (added <= 1 && covered.length === 0)) flags.push('echo');
    // (A salad names the points' terms, whichever subject they land on.)
    else if (isSalad(text, words, question, covered.length + points.filter((p) => p.result.swapped).length, stated, listAsked, namingSentences(words, points))) {
      flags.push('keyword-salad');
      bareList = true;
    } else if (claimPoor) flags.push('keyword-salad');
  }
  // A salad of named terms earns a tenth for each point it only names; what it states counts.
  let q = quality(question.keyPoints, covered);
  // (What it only names earns a tenth of what naming it would earn: bonus points included, a
  // salad of named terms never passes a tenth of full quality.)
  if (claimPoor && flags.includes('keyword-salad')) {
    const fromStated = quality(question.keyPoints, covered.filter((k) => !named.includes(k)));
    q = Math.min(q, fromStated + NAMED_WEIGHT * quality(question.keyPoints, named), 1);
  }
  q = Math.max(0, q - wrongClaimCost(question.keyPoints, points.filter((p) => p.result.misconception).length));
  if (flags.includes('empty') || flags.includes('too-short') || flags.includes('echo')) q = 0;
  else if (bareList) q = Math.min(q, SALAD_PENALTY * quality(question.keyPoints, covered));
  // A behavioural question answered with no concrete detail tells no story.
  // (A story typed in lowercase names no proper noun the tagger sees, but tells its details in
  // words of its own: "the payments service at a fintech, slow queries on the orders table".)
  if (flags.length === 0 && tellsNoStory(question, text, words, tags)) {
    flags.push('no-example');
    q = Math.min(q, NO_EXAMPLE_CAP);
  }
  if (flags.length === 0) q = closenessAllowed(question, words, q, points, (i) => !listed.has(i));
  q = overclaimed(question, words, onTopic(question, words, q, flags), flags);
  return { covered, missed, coverage, quality: q, flags, ...evidenceOf(points), points };
}

/**
 * Closeness for an answer that raises no flag. A single denial among wording otherwise close to the
 * references is a contrast the answer draws — "refuse to answer, so nobody is handed an outdated
 * value" — not the sample denied: one negator in the whole answer, voiding one point, is no
 * contradiction of the rest. Closeness then stands in for the points not said in the phrases'
 * words, never for the one denied: at most the share of the required points without it.
 */
function closenessAllowed(question: Question, words: Word[], q: number, points: readonly { point: KeyPoint; result: PointResult }[], stating: (i: number) => boolean): number {
  const voided = points.filter((p) => !p.result.covered && p.result.voided);
  if (voided.length === 0) return withCloseness(question, words, q, stating);
  if (voided.length > 1 || voided[0]!.result.misconception || negatorCount(words) !== 1) return q;
  const denied = voided[0]!.point;
  const required = question.keyPoints.filter((k) => !k.bonus);
  const without = required.length ? required.filter((k) => k !== denied).length / required.length : 0;
  return Math.max(q, Math.min(withCloseness(question, words, q, stating), without));
}

/**
 * An answer's quality for being about this question: all of it unless the answer is long enough to
 * judge (OFF_TOPIC_WORDS) and shares no more than chance overlap with every reference; then the
 * share kept falls from all at CLOSENESS_MIN to nothing at OFF_TOPIC_FLOOR, flagged `off-topic`.
 * None either when it is about another question of its bank (`aboutAnother`). Not for behavioural
 * questions (stories of one's own past share few words with anyone else's) nor for a member's
 * suggestion (its one sample, and at most its member's few points, are too narrow a reference to
 * call an answer off-topic).
 */
function onTopic(question: Question, words: Word[], q: number, flags: GradeFlag[]): number {
  if (q === 0 || words.length < OFF_TOPIC_WORDS || question.kind === 'behavioural' || question.author) return q;
  if (aboutAnother(question, words)) {
    flags.push('off-topic');
    return 0;
  }
  const near = closeness(question, words);
  if (near >= CLOSENESS_MIN) return q;
  flags.push('off-topic');
  return q * Math.max(0, (near - OFF_TOPIC_FLOOR) / (CLOSENESS_MIN - OFF_TOPIC_FLOOR));
}

/**
 * An answer is about another question of its bank when it is ANOTHER_RATIO times closer to that
 * question's references than to this one's, each word weighed by how few of the bank's questions
 * use it: "consistent hashing puts nodes and keys on a ring" to the CAP theorem, JWTs against
 * sessions to OAuth. Words every backend answer uses ("request", "server", "data") say nothing
 * of which question an answer is about, and an answer in other words shares mostly those with
 * the other questions; an answer to another question shares that question's own words ("ring",
 * "virtual nodes"). (On the tuned sets, correct answers in other words stay below four times; most
 * answers to another question are well above.)
 */
const ANOTHER_RATIO = 4;
/**
 * Words an answer needs before it is weighed against other questions: in fewer, a correct answer
 * to one of a course's sibling questions ("a doubly linked list can be walked both ways", to the
 * question on inserting into one) can share as many words with a sibling's reference as with its own.
 */
const ANOTHER_WORDS = 40;

function aboutAnother(question: Question, words: Word[]): boolean {
  if (words.length < ANOTHER_WORDS) return false;
  const { here, elsewhere } = peerCloseness(question, words);
  return elsewhere >= ANOTHER_RATIO * Math.max(here, MIN_HERE);
}

/** (An answer that shares no word with its references is as far from them as this.) */
const MIN_HERE = 1e-3;

/**
 * An answer's closeness to its own question's references and to the nearest other question of its
 * bank (not one on the same subject), words weighed by their rarity in the bank (both 0 when its
 * question has no bank).
 */
export function peerCloseness(question: Question, words: Word[]): { here: number; elsewhere: number } {
  const group = peersOf(question);
  if (!group) return { here: 0, elsewhere: 0 };
  const index = peerIndex(group);
  // (A word no reference uses is as rare as a word can be.)
  const rarity = (s: string): number => index.idf.get(s) ?? Math.log(index.questions.length + 1);
  const mine = [...ownStems(words, NOTHING)];
  const dot = new Float64Array(index.owners.length);
  const total = mine.reduce((sum, s) => sum + rarity(s) ** 2, 0);
  // (Each question's own asked words are not the answer's when measured against it.)
  const norm = new Float64Array(index.questions.length).fill(total);
  for (const s of mine) {
    const w = rarity(s) ** 2;
    for (const r of index.postings.get(s) ?? []) dot[r]! += w;
    for (const p of index.asking.get(s) ?? []) norm[p]! -= w;
  }
  const subject = titleStems(question);
  let here = 0;
  let elsewhere = 0;
  for (let r = 0; r < dot.length; r++) {
    const p = index.owners[r]!;
    const peer = index.questions[p]!;
    if (norm[p]! <= 0) continue;
    const c = dot[r]! / Math.sqrt(norm[p]! * index.norms[r]!);
    if (peer === question) here = Math.max(here, c);
    // (The subjects compared only where the figure would rise: once or twice per answer.)
    else if (c > elsewhere && !sameSubject(subject, titleStems(peer))) elsewhere = c;
  }
  return { here, elsewhere };
}

/**
 * Every reference of a bank's questions, by stem (as `closeness` reads them: not its question's
 * asked words), with each stem's rarity: log(N / questions using it). Built once per bank.
 */
interface PeerIndex {
  questions: Question[];
  /** Per reference: its question's position in `questions`, and its squared norm. */
  owners: number[];
  norms: number[];
  postings: Map<string, number[]>;
  /** Per stem: the questions that ask with it. */
  asking: Map<string, number[]>;
  idf: Map<string, number>;
}

const NOTHING: ReadonlySet<string> = new Set();

function peerIndex(group: PeerGroup): PeerIndex {
  if (!group.index) {
    const refs = group.questions.map((peer) => peerReferences(peer));
    const used = new Map<string, number>();
    for (const stems of refs) for (const s of new Set(stems.flatMap((r) => [...r]))) used.set(s, (used.get(s) ?? 0) + 1);
    const idf = new Map([...used].map(([s, n]) => [s, Math.log((group.questions.length + 1) / (n + 1))]));
    const index: PeerIndex = { questions: [...group.questions], owners: [], norms: [], postings: new Map(), asking: new Map(), idf };
    group.questions.forEach((peer, p) => {
      for (const s of askedStems(peer)) groupPush(index.asking, s, p);
      for (const stems of refs[p]!) {
        const r = index.owners.push(p) - 1;
        index.norms.push([...stems].reduce((sum, s) => sum + idf.get(s)! ** 2, 0));
        for (const s of stems) groupPush(index.postings, s, r);
      }
    });
    group.index = index;
  }
  return group.index as PeerIndex;
}

const peerRefs = new WeakMap<Question, Set<string>[]>();

/** A question's reference texts' content stems, without its asked words (read once; `prepareGrading` reads a bank's a question at a time). */
function peerReferences(question: Question): Set<string>[] {
  let refs = peerRefs.get(question);
  if (!refs) {
    const asked = askedStems(question);
    refs = referenceTexts(question)
      .map((t) => ownStems(analyse(t), asked))
      .filter((r) => r.size > 0);
    peerRefs.set(question, refs);
  }
  return refs;
}

const titles = new WeakMap<Question, ReadonlySet<string>>();

/** The content stems of a question's title. */
function titleStems(question: Question): ReadonlySet<string> {
  let t = titles.get(question);
  if (!t) {
    t = ownStems(analyse(question.title), NOTHING);
    titles.set(question, t);
  }
  return t;
}

/**
 * Two questions on one subject — one title's words all in the other's: "Constructors in Java" and
 * "Kinds of constructors in Java", "NoSQL databases" and "SQL vs NoSQL databases" (and a question
 * and itself). An answer to one answers much of the other; it is not about another question.
 */
function sameSubject(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const s of small) if (!large.has(s)) return false;
  return true;
}

/**
 * An answer of some length dense with absolutes — "always", "never", "every", "only", "simply",
 * "automatically" — overclaims: misconceptions are overgeneralisations ("NoSQL means no query
 * language, so you can only fetch by key", "a reverse proxy automatically protects the app"), and
 * an interviewer weighs a dogmatic claim against the answer. Above OVERCLAIM_DENSITY absolutes per
 * 100 words the answer keeps less of its quality, down to OVERCLAIM_FLOOR, flagged `overclaims`.
 * Not counted: a hedge ("not always", "doesn't necessarily"), nor an absolute the question's own
 * phrases use ("all or nothing", "every request gets a response"). An answer that states every
 * required point has earned them, absolutes and all ("every change is always releasable" is what
 * continuous delivery means).
 */
function overclaimed(question: Question, words: Word[], q: number, flags: GradeFlag[]): number {
  if (q === 0 || q >= 1 || words.length < OVERCLAIM_WORDS) return q;
  const own = absolutesOf(question);
  let absolutes = 0;
  for (let i = 0; i < words.length; i++) if (ABSOLUTES.has(words[i]!.raw) && !own.has(words[i]!.raw) && !(i > 0 && isNegator(words, i - 1))) absolutes++;
  const density = (100 * absolutes) / words.length;
  if (density <= OVERCLAIM_DENSITY) return q;
  flags.push('overclaims');
  return q * Math.max(OVERCLAIM_FLOOR, 1 - (density - OVERCLAIM_DENSITY) / OVERCLAIM_SPAN);
}

/** The absolutes a question's own key-point phrases use ("all or nothing", "every request gets a response"): part of its claims. */
const ownAbsolutes = new WeakMap<Question, Set<string>>();
function absolutesOf(question: Question): Set<string> {
  let own = ownAbsolutes.get(question);
  if (!own) {
    own = new Set(question.keyPoints.flatMap((k) => [...k.phrases, ...(k.negated ?? [])]).flatMap((p) => phraseWords(p).map((w) => w.raw)).filter((w) => ABSOLUTES.has(w)));
    ownAbsolutes.set(question, own);
  }
  return own;
}

/** How many negators an answer has ("not", "never", "nobody", "can't", "fails to", …). */
function negatorCount(words: Word[]): number {
  let n = 0;
  for (let i = 0; i < words.length; i++) if (isNegator(words, i)) n++;
  return n;
}

/**
 * An answer of some length to a behavioural question with no concrete detail (experience.ts) and
 * few words of its own beyond the question's vocabulary.
 */
function tellsNoStory(question: Question, text: string, words: Word[], tags: readonly Tag[]): boolean {
  if (words.length < SALAD_MIN_WORDS || !asksForStory(question)) return false;
  const vocabulary = vocabularyOf(question);
  return concreteDetails(text, words, tags, vocabulary) === 0 && wordsOfItsOwn(words, vocabulary) < NO_EXAMPLE_OWN_WORDS;
}

/** The words that earned each covered point, and why each voided point was voided. */
function evidenceOf(points: readonly { point: KeyPoint; result: PointResult }[]): Pick<GradeResult, 'evidence' | 'voided'> {
  const evidence: Record<string, string> = {};
  const voided: { id: string; why: string }[] = [];
  for (const p of points) {
    if (p.result.covered && p.result.evidence) evidence[p.point.id] = p.result.evidence;
    if (!p.result.covered && p.result.voided) voided.push({ id: p.point.id, why: p.result.voided });
  }
  return { evidence, voided };
}

/**
 * What an answer's wrong claims (counter-phrases, claims said of the other subject) cost beyond the
 * points they void: an answer is not only what it gets right, and an interviewer who hears a
 * confident error weighs it above a point left out. Each costs WRONG_CLAIM_COST required points.
 */
export function wrongClaimCost(keyPoints: readonly KeyPoint[], wrongClaims: number): number {
  const base = keyPoints.filter((k) => !k.bonus).length || keyPoints.length;
  return base === 0 ? 0 : (WRONG_CLAIM_COST * wrongClaims) / base;
}

export function grade(question: Question, text: string): GradeResult {
  return withoutPoints(gradeDetailed(question, text));
}

function withoutPoints({ points: _points, ...g }: DetailedGrade): GradeResult {
  return g;
}

/**
 * An answer read once for a reveal: its grade and its word 3-gram shingles (copy detection), from
 * one analysis of its words.
 */
export function gradeRead(question: Question, text: string): { grade: GradeResult; shingles: Set<string> } {
  const words = analyse(text);
  return { grade: withoutPoints(gradeDetailed(question, text, words)), shingles: shinglesOf(words) };
}

/** Word 3-gram shingles of a text (copy detection). */
export function shingles(text: string): Set<string> {
  return shinglesOf(analyse(text));
}

function shinglesOf(words: readonly Word[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 2 < words.length; i++) out.add(`${words[i]!.canon} ${words[i + 1]!.canon} ${words[i + 2]!.canon}`);
  return out;
}

/** Share of `text`'s shingles found in `earlier` (1 = entirely copied). Short answers never count. */
export function copiedShare(text: Set<string>, earlier: Set<string>): number {
  if (text.size < 6) return 0;
  let n = 0;
  for (const s of text) if (earlier.has(s)) n++;
  return n / text.size;
}

export const COPY_THRESHOLD = 0.7;

/**
 * The topic a question's post may show: its first tag none of whose words occur in a key-point
 * phrase (the words the grader rewards are not handed out with the question); null when every
 * tag gives something away.
 */
export function neutralTopic(question: Pick<Question, 'topics' | 'keyPoints'>): string | null {
  const rewarded = new Set(
    question.keyPoints
      .flatMap((k) => [...k.phrases, ...(k.negated ?? []), ...(k.counter ?? [])])
      .flatMap((p) => analyse(p))
      .filter((w) => w.content)
      .map((w) => w.canon),
  );
  for (const tag of question.topics) {
    const words = analyse(tag.replace(/-/g, ' ')).filter((w) => w.content);
    if (words.length > 0 && words.every((w) => !rewarded.has(w.canon))) return tag;
  }
  return null;
}
