/**
 * What an answer *states*, clause by clause — as opposed to which words it contains.
 *
 * A clause states a claim when a verb relates something to something: a subject that is a thing
 * (a noun, a name, a term — not "we", "it", "you" as mere glue) on one side and information on
 * the other ("Redis keeps data in memory", "Atomicity means all or nothing", "A clustered index:
 * the rows themselves in key order"). Naming terms — as a list, after "we have", "it is",
 * "think about", "you should mention", "key words:", or with "… are all relevant" — states
 * nothing about them. Parts of speech come from wink-nlp with its bundled English model
 * (offline); verbs that merely talk about a topic (thinking and saying: "mention", "consider",
 * "remember") are recognised through WordNet's verb classes, not a list of glue words.
 *
 * Comparison questions ("X vs Y") bind each key point to its subject: a claim said of the other
 * subject ("LinkedList is backed by an array") is the swapped claim, not the point.
 */
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { STOPWORDS } from './text.js';
import type { KeyPoint, Question } from './types.js';
import { hasLemma, isCommunicationNoun, isFeelingVerb, isMetaVerb, isPersonNoun, isSayingPhrasal, metaVerbKind } from './wordnet.js';

/** The grader's view of a word (grading.ts `analyse`). */
export interface ClauseWord {
  /** The word as written (lowercase, no accents). */
  raw: string;
  canon: string;
  /** Character span in the original text (for evidence). */
  start: number;
  end: number;
  /** Sentence and clause numbers. */
  sentence: number;
  clause: number;
  /** Counts for matching (not a plain function word). */
  content: boolean;
  /** A comma stands right before it. */
  afterComma?: boolean;
}

let nlp: ReturnType<typeof winkNLP> | null = null;
const tagger = () => (nlp ??= winkNLP(model, ['pos']));

export interface Tag {
  pos: string;
  lemma: string;
}

/** Loads the tagger's model and WordNet's indexes now rather than during the first grading. */
export function warmTagger(): void {
  tagger().readDoc('Redis keeps data in memory.');
  hasLemma('store', 'verb');
  hasLemma('store', 'noun');
  isMetaVerb('mention');
}

/** Part of speech and lemma of each analysed word (by character position). */
export function tagWords(text: string, words: readonly ClauseWord[]): Tag[] {
  const nlp = tagger();
  const its = nlp.its;
  const doc = nlp.readDoc(text);
  // wink's `its` helpers are plain functions (no `this`); its typings declare them as methods.
  /* eslint-disable @typescript-eslint/unbound-method */
  const values = doc.tokens().out<string>(its.value);
  const pos = doc.tokens().out<string>(its.pos);
  const lemmas = doc.tokens().out(its.lemma as never) as unknown as string[];
  /* eslint-enable @typescript-eslint/unbound-method */
  // Token spans: wink keeps each token's text as written, in order.
  const starts: number[] = [];
  let at = 0;
  for (const v of values) {
    const i = text.indexOf(v, at);
    starts.push(i < 0 ? at : i);
    if (i >= 0) at = i + v.length;
  }
  const out: Tag[] = [];
  let t = 0;
  for (const w of words) {
    while (t + 1 < starts.length && starts[t + 1]! <= w.start) t++;
    out.push({ pos: pos[t] ?? 'X', lemma: (lemmas[t] ?? w.raw).toLowerCase() });
  }
  return repairVerbs(text, words, out);
}

const PARTICIPLE = /(?:ed|en|ing)$/;
/** Quantifiers that float after their noun ("the logs all …", "the replicas both …"). */
const FLOATING: ReadonlySet<string> = new Set(['all', 'both', 'each']);
const POSSESSIVE: ReadonlySet<string> = new Set(['my', 'our', 'your', 'their', 'its', 'his', 'her']);
const LINKING_AUX: ReadonlySet<string> = new Set(['be', 'have']);
/** What the tagger calls a verb that opens an instruction ("Cycle/NOUN through the list"). */
const INSTRUCTION_POS: ReadonlySet<string> = new Set(['NOUN', 'PROPN', 'ADJ', 'X']);
const OBJECT_POS: ReadonlySet<string> = new Set(['DET', 'NOUN', 'PROPN', 'PRON', 'NUM', 'ADJ', 'ADP']);

/** Modals (as written) after which a verb comes in its base form: "must convert", "cannot evaluate". */
const MODAL_RAW: ReadonlySet<string> = new Set(['can', 'cannot', 'cant', 'must', 'should', 'will', 'would', 'could', 'may', 'might', 'shall']);
/** Pronouns that are the subject of the base form after them: "we visit", "you convert". */
const SUBJECT_PRONOUNS: ReadonlySet<string> = new Set(['i', 'we', 'you', 'they']);
/** Adverbs that sit between a subject or modal and its verb ("must first convert", "we then visit"). */
const MID_ADVERBS: ReadonlySet<string> = new Set(['first', 'then', 'also', 'only', 'just', 'always', 'never', 'simply', 'usually', 'still', 'often', 'next', 'finally']);

/** Whether word `i` follows a modal or a subject pronoun of its clause, one mid-sentence adverb between at most. */
function afterSubjectOrModal(words: readonly ClauseWord[], tags: readonly Tag[], i: number): boolean {
  let j = i - 1;
  if (j >= 0 && MID_ADVERBS.has(words[j]!.raw) && words[j]!.clause === words[i]!.clause) j--;
  if (j < 0 || words[j]!.clause !== words[i]!.clause) return false;
  const raw = words[j]!.raw;
  return (tags[j]!.pos === 'AUX' && MODAL_RAW.has(raw)) || (tags[j]!.pos === 'PRON' && SUBJECT_PRONOUNS.has(raw));
}

/**
 * The lite model's two common slips on technical text: a noun inside a term tagged as a verb
 * ("we have partition/VERB tolerance", "the write/VERB-ahead log") and a verb in -s tagged as a
 * plural noun ("MongoDB stores/NOUN documents", "that moves/NOUN elements"). A base-form verb
 * right after a determiner, an adjective or "have"/"be" is a noun; a word in -s whose stem is a
 * verb, between a subject (or at the start of a clause) and an object, is a verb.
 */
function repairVerbs(text: string, words: readonly ClauseWord[], tags: Tag[]): Tag[] {
  // "… and the logs all come into play": a quantifier after its noun, then the verb (not a
  // determiner before a noun).
  const floating = (i: number) => i > 1 && FLOATING.has(words[i - 1]!.raw) && ['NOUN', 'PROPN'].includes(tags[i - 2]!.pos) && words[i - 2]!.clause === words[i]!.clause;
  for (let i = 0; i < tags.length; i++) {
    const t = tags[i]!;
    const prev = i > 0 && words[i - 1]!.clause === words[i]!.clause ? tags[i - 1]! : null;
    const next = i + 1 < tags.length && words[i + 1]!.clause === words[i]!.clause ? tags[i + 1]! : null;
    const raw = words[i]!.raw;
    const gapBefore = i > 0 ? text.slice(words[i - 1]!.end, words[i]!.start) : '\n';
    const gapAfter = i + 1 < words.length ? text.slice(words[i]!.end, words[i + 1]!.start) : '.';
    if (t.pos === 'VERB' && raw.startsWith('non') && raw.length > 5) {
      // "non-blocking", "non-clustered": a property, never an action.
      tags[i] = { pos: 'ADJ', lemma: t.lemma };
    } else if (t.pos === 'VERB' && i > 0 && POSSESSIVE.has(words[i - 1]!.raw) && hasLemma(t.lemma, 'noun')) {
      // After a possessive, a thing: "our logs", "its stores".
      tags[i] = { pos: 'NOUN', lemma: t.lemma };
    } else if (t.pos === 'VERB' && prev?.pos === 'ADP' && TOPIC_ADP.has(words[i - 1]!.raw) && !raw.endsWith('ing') && hasLemma(t.lemma, 'noun')) {
      // The object of a preposition: "think about joins", "the idea of locks".
      tags[i] = { pos: 'NOUN', lemma: t.lemma };
    } else if (t.pos === 'VERB' && raw.endsWith('ing') && prev?.pos === 'NOUN' && !/,/.test(gapBefore) && (!next || next.pos === 'CCONJ' || /[,.;:]/.test(gapAfter))) {
      // The head of a compound term ending a list item: "rate limiting", "load balancing and …".
      tags[i] = { pos: 'NOUN', lemma: t.lemma };
    } else if (t.pos === 'VERB' && (/^[-/]$/.test(gapBefore) || /^[-/]$/.test(gapAfter))) {
      // Part of a compound term: "CPU-bound", "async/await", "write-through".
      tags[i] = { pos: 'ADJ', lemma: t.lemma };
    } else if (t.pos === 'VERB' && i > 0 && words[i - 1]!.sentence === words[i]!.sentence && (prev?.pos === 'CCONJ' || /,/.test(gapBefore)) && (!next || next.pos === 'CCONJ' || /,/.test(gapAfter) || (next.pos === 'NOUN' && t.lemma === raw && !PARTICIPLE.test(raw))) && hasLemma(t.lemma, 'noun')) {
      // An item of a list of terms: "redundancy, update anomalies", "GET, POST, PUT and DELETE".
      tags[i] = { pos: 'NOUN', lemma: t.lemma };
    } else if (t.pos === 'VERB' && raw.endsWith('ing') && !prev && (!next || next.pos === 'CCONJ' || /,/.test(gapAfter))) {
      // A gerund naming a topic: "Blocking and non-blocking …".
      tags[i] = { pos: 'NOUN', lemma: t.lemma };
    } else if (t.pos === 'NOUN' && floating(i) && next && ['ADP', 'DET', 'ADV', 'PART'].includes(next.pos) && hasLemma(raw, 'verb')) {
      tags[i] = { pos: 'VERB', lemma: raw };
    } else if (t.pos === 'VERB' && !prev && raw.endsWith('s') && !raw.endsWith('ss') && words[i - 1]?.sentence !== words[i]!.sentence && (next?.pos === 'CCONJ' || /^\s*,/.test(gapAfter) || ['like', 'such'].includes(words[i + 1]?.raw ?? '')) && hasLemma(t.lemma, 'noun')) {
      // A plural noun opening a sentence: "Logs, metrics and traces …", "Tools like Kafka …" (an
      // instruction is never in -s; a subject left out is not followed by a list).
      tags[i] = { pos: 'NOUN', lemma: t.lemma };
    } else if (t.pos === 'VERB' && /(?:ed|ing)$/.test(raw) && next?.pos === 'NOUN' && (!prev || prev.pos === 'DET' || prev.pos === 'ADJ' || prev.pos === 'ADV' || /[,\n]/.test(gapBefore) || (prev.pos === 'CCONJ' && i > 1 && tags[i - 2]!.pos === 'NOUN' && words[i - 2]!.clause === words[i]!.clause))) {
      // A participle used as an adjective: "frequently accessed data", "decoupling producers",
      // "queries and prepared statements".
      tags[i] = { pos: 'ADJ', lemma: t.lemma };
    } else if (t.pos === 'VERB' && prev && (prev.pos === 'DET' || prev.pos === 'ADJ' || (prev.pos === 'AUX' && LINKING_AUX.has(prev.lemma))) && !PARTICIPLE.test(raw) && t.lemma === raw && !floating(i)) {
      tags[i] = { pos: 'NOUN', lemma: t.lemma };
    } else if (t.pos === 'VERB' && t.lemma === raw && !PARTICIPLE.test(raw) && (prev?.pos === 'NOUN' || prev?.pos === 'PROPN') && !/s$/.test(words[i - 1]!.raw) && !/,/.test(gapBefore) && (!next || next.pos === 'CCONJ' || /[,.;:\n]/.test(gapAfter)) && !floating(i)) {
      // The head of a compound term, not a verb: a base form after a singular noun, with nothing
      // after it ("Git bisect and recent changes", "the root cause, …"). (A verb after a singular
      // subject takes -s; with an object after it, "the server return the data", it stays a verb.)
      tags[i] = { pos: 'NOUN', lemma: t.lemma };
    } else if (
      (t.pos === 'NOUN' || t.pos === 'PROPN') &&
      /[^s]s$/.test(raw) &&
      ((next && OBJECT_POS.has(next.pos) && (!prev || prev.pos === 'PROPN' || prev.pos === 'PRON' || ['that', 'which', 'who'].includes(words[i - 1]!.raw))) ||
        // "final makes a variable constant": a lone word opening the sentence (a keyword the tagger
        // took for an adjective), this word, then a determiner.
        (prev?.pos === 'ADJ' && words[i - 1]!.sentence === words[i]!.sentence && (i === 1 || words[i - 2]!.sentence !== words[i]!.sentence) && next?.pos === 'DET') ||
        // "the network splits", "the cache stores values": a determiner, a noun, then this word.
        // ("the list's tail points to the head": a possessive, a noun, then this word.)
        (prev?.pos === 'NOUN' && i > 1 && (tags[i - 2]!.pos === 'DET' || /['’]s$/.test(text.slice(words[i - 2]!.start, words[i - 2]!.end))) && words[i - 2]!.clause === words[i]!.clause && (!next || OBJECT_POS.has(next.pos) || next.pos === 'ADV')))
    ) {
      const stem = raw.endsWith('es') && hasLemma(raw.slice(0, -2), 'verb') ? raw.slice(0, -2) : raw.slice(0, -1);
      if (hasLemma(stem, 'verb')) tags[i] = { pos: 'VERB', lemma: stem };
    } else if (INSTRUCTION_POS.has(t.pos) && afterSubjectOrModal(words, tags, i) && (!next || OBJECT_POS.has(next.pos) || next.pos === 'ADV') && hasLemma(raw, 'verb')) {
      // A base form after a modal or a subject pronoun, an adverb between or not: "must first
      // convert infix", "we first visit its left subtree".
      tags[i] = { pos: 'VERB', lemma: raw };
    } else if (INSTRUCTION_POS.has(t.pos) && (i === 0 || words[i - 1]!.sentence !== words[i]!.sentence) && next && OBJECT_POS.has(next.pos) && next.pos !== 'ADJ' && hasLemma(raw, 'verb')) {
      // An instruction: "Cycle through the list", "Search for the largest item". (A preposition
      // or an adverb stays one: "Off-peak hours", "Up front …".)
      tags[i] = { pos: 'VERB', lemma: raw };
    }
  }
  return tags;
}

/** Adjectives that rate a topic instead of saying something about it. */
const EVALUATIVE: ReadonlySet<string> = new Set([
  'relevant',
  'important',
  'essential',
  'key',
  'crucial',
  'vital',
  'worth',
  'useful',
  'central',
  'critical',
  'significant',
  'interesting',
  'notable',
  'involved',
  'related',
  'good',
  'nice',
  'great',
  'main',
  'core',
  'big',
  'thing',
  'things',
  'stuff',
  'concept',
  'concepts',
  'term',
  'terms',
  'topic',
  'topics',
  'word',
  'words',
  'keyword',
  'keywords',
]);
/** What ends a label before what is said of it: "Atomicity: …", "Backup - …", "X = …", "X -> …". */
const LABEL_GAP = /[:=–—]|\s-\s|->/;
const NOUNISH: ReadonlySet<string> = new Set(['NOUN', 'PROPN', 'NUM', 'ADJ', 'X', 'SYM']);
/** Verbs that relate a subject to a complement without doing anything: "X is Y", "X has Y". */
const LINKING: ReadonlySet<string> = new Set(['be', 'is', 'are', 'was', 'were', 'means', 'mean', 'has', 'have', 'had']);
/** Linking verbs that define: "X means Y" says what X is, like a verb of doing says what X does. */
const DEFINING: ReadonlySet<string> = new Set(['means', 'mean']);
/** Prepositions that relate one term to another ("the path from the root to a leaf"). */
const RELATIONAL_ADP: ReadonlySet<string> = new Set(['of', 'on', 'from', 'to', 'in', 'into', 'with', 'between', 'at', 'by', 'through', 'within', 'without']);
/** Prepositions that only introduce a topic ("think about X", "the idea of X"). */
export const TOPIC_ADP: ReadonlySet<string> = new Set(['about', 'of', 'on', 'like', 'regarding']);

/** Adds `i` to the group `key` (in place: a long run-on answer is not copied word by word). */
export function groupPush<K>(groups: Map<K, number[]>, key: K, i: number): void {
  const g = groups.get(key);
  if (g) g.push(i);
  else groups.set(key, [i]);
}

function informative(w: ClauseWord, tag: Tag): boolean {
  return w.content && !STOPWORDS.has(w.raw) && tag.pos !== 'PRON' && !EVALUATIVE.has(w.raw);
}

/**
 * "… visits the left subtree first, then the root, then the right subtree": a clause opened by
 * "then" with no verb of its own continues the claim before it in its sentence (its verb left
 * out, as English does in a sequence). Adds such clauses to `claims` (and `verbal`), in place.
 */
function continueSequences(words: readonly ClauseWord[], tags: readonly Tag[], byClause: Map<number, number[]>, claims: Set<number>, verbal: Set<number>): void {
  const ordered = [...byClause.keys()].sort((a, b) => a - b);
  for (let c = 1; c < ordered.length; c++) {
    const idx = byClause.get(ordered[c]!)!;
    const prev = byClause.get(ordered[c - 1]!)!;
    if (claims.has(ordered[c]!) || !claims.has(ordered[c - 1]!) || words[idx[0]!]!.sentence !== words[prev[0]!]!.sentence) continue;
    const opener = words[idx[0]!]!.raw === 'and' && idx.length > 1 ? words[idx[1]!]!.raw : words[idx[0]!]!.raw;
    if (opener !== 'then' || idx.some((i) => tags[i]!.pos === 'VERB' || tags[i]!.pos === 'AUX')) continue;
    if (!idx.some((i) => informative(words[i]!, tags[i]!))) continue;
    claims.add(ordered[c]!);
    if (verbal.has(ordered[c - 1]!)) verbal.add(ordered[c]!);
  }
}

/**
 * The clauses (by number) of an answer that state a claim (`all`), and those whose claim is made
 * with a verb of doing or meaning (`verbal`: "Redis keeps …", "atomicity means …"), as opposed to
 * "X is Y" between two terms, which can equate any two words ("caching is Redis"). With `known`
 * (the question's own words), a label makes a claim of what follows only if it is one of them.
 */
export function claimClauses(text: string, words: readonly ClauseWord[], tags: readonly Tag[], known?: (canon: string) => boolean): { all: Set<number>; verbal: Set<number>; topical: Set<number> } {
  const byClause = new Map<number, number[]>();
  for (let i = 0; i < words.length; i++) groupPush(byClause, words[i]!.clause, i);
  const claims = new Set<number>();
  const verbal = new Set<number>();
  for (const [clause, idx] of byClause) {
    for (let k = 0; k < idx.length && !claims.has(clause); k++) {
      const v = idx[k]!;
      const tag = tags[v]!;
      const w = words[v]!;
      const linking = LINKING.has(w.raw) || tag.lemma === 'be' || tag.lemma === 'have';
      if (tag.pos !== 'VERB' && !(tag.pos === 'AUX' && linking)) continue;
      const before = idx.slice(0, k);
      const after = idx.slice(k + 1);
      const subject = before.some((i) => NOUNISH.has(tags[i]!.pos) && informative(words[i]!, tags[i]!));
      // What follows says something: for "is"/"has" a word of its own; for a verb of doing,
      // quantifiers and negators count too ("do not see each other").
      if (!after.some((i) => informative(words[i]!, tags[i]!) || (!linking && words[i]!.content && tags[i]!.pos !== 'PRON'))) continue;
      // A thing that is, has or does something: a claim ("Redis keeps data in memory", "the
      // sequence has one element"). "We have X", "it is X" state nothing.
      if (subject) {
        claims.add(clause);
        if (!linking || DEFINING.has(w.raw)) verbal.add(clause);
        continue;
      }
      if (linking) continue;
      // Without a subject, or with a person for one, a verb of doing states a claim ("select the
      // smallest", "you reject writes"); a verb of thinking or saying followed by nothing but
      // the terms names a topic ("think about X, Y", "you should mention X", "don't forget X").
      // (A verb of thinking names a topic when it is "about"/"of" one or runs through a list of
      // terms — "consider X, Y and Z"; "you pick one of them" is a choice, a claim.)
      const termsOnly = !after.some((i) => tags[i]!.pos === 'VERB' || (tags[i]!.pos === 'ADP' && !TOPIC_ADP.has(words[i]!.raw)));
      const kind = metaVerbKind(tag.lemma);
      const topical = kind === 'saying' || (kind === 'thinking' && (TOPIC_ADP.has(words[after[0]!]?.raw ?? '') || after.filter((i) => informative(words[i]!, tags[i]!)).length >= 2));
      if (topical && termsOnly) continue;
      claims.add(clause);
      verbal.add(clause);
    }
  }
  // "The number of nodes on the longest path from the root to a leaf": a sentence with no verb
  // whose terms are related by prepositions, not listed, defines what was asked.
  for (const [clause, idx] of byClause) {
    if (claims.has(clause) || idx.some((i) => tags[i]!.pos === 'VERB' || tags[i]!.pos === 'AUX')) continue;
    const sentence = words[idx[0]!]!.sentence;
    if (words.some((w) => w.sentence === sentence && w.clause !== clause)) continue;
    const text0 = text.slice(words[idx[0]!]!.start, words[idx[idx.length - 1]!]!.end);
    if (/[,;/|]/.test(text0) || idx.some((i) => tags[i]!.pos === 'CCONJ')) continue;
    const relations = idx.filter((i) => tags[i]!.pos === 'ADP' && RELATIONAL_ADP.has(words[i]!.raw)).length;
    if (relations >= 2 && idx.filter((i) => informative(words[i]!, tags[i]!)).length >= 4) claims.add(clause);
  }
  continueSequences(words, tags, byClause, claims, verbal);
  // "Atomicity: all or nothing" — a short label, a colon or dash, then a statement about it (not
  // a list of terms): the label and the statement make one claim.
  const clauses = [...byClause.keys()].sort((a, b) => a - b);
  for (let c = 0; c + 1 < clauses.length; c++) {
    const label = byClause.get(clauses[c]!)!;
    const rest = byClause.get(clauses[c + 1]!)!;
    const last = words[label[label.length - 1]!]!;
    const gap = text.slice(last.end, words[rest[0]!]!.start);
    if (label.length > 4 || !LABEL_GAP.test(gap) || words[rest[0]!]!.sentence !== last.sentence && !/:/.test(gap)) continue;
    // (A speaker or a field is no term the statement is about: "dev2: access token, refresh token".)
    if (known && !label.some((i) => known(words[i]!.canon))) continue;
    const restText = text.slice(words[rest[0]!]!.start, words[rest[rest.length - 1]!]!.end);
    if (rest.filter((i) => words[i]!.content && !EVALUATIVE.has(words[i]!.raw) && tags[i]!.pos !== 'PRON').length >= 2 && (restText.match(/,/g) ?? []).length <= 1) {
      claims.add(clauses[c]!);
      claims.add(clauses[c + 1]!);
    }
  }
  // A sentence framed as naming topics ("Think about X, Y and Z", "You should mention X because
  // it matters", "X and Y are all relevant here") states nothing about its terms, whatever its
  // clauses look like on their own.
  const topical = topicClauses(words, tags);
  // (And a question asserts nothing — "And can availability exist without partition tolerance?":
  // its clauses name their terms, whatever verbs they have.)
  for (const c of [...topical, ...questionClauses(text, words)]) {
    claims.delete(c);
    verbal.delete(c);
  }
  return { all: claims, verbal, topical };
}

/** The clauses of the sentences that end in a question mark. */
function questionClauses(text: string, words: readonly ClauseWord[]): Set<number> {
  const out = new Set<number>();
  let start = 0;
  for (let i = 0; i < words.length; i++) {
    if (i + 1 < words.length && words[i + 1]!.sentence === words[i]!.sentence) continue;
    const end = i + 1 < words.length ? words[i + 1]!.start : text.length;
    if (/^[^\p{L}\p{N}]*\?/u.test(text.slice(words[i]!.end, end))) for (let k = start; k <= i; k++) out.add(words[k]!.clause);
    start = i + 1;
  }
  return out;
}

/**
 * Whether word `i` is a verb where terms are concerned: an auxiliary, or a verb that is not a
 * gerund standing for a term ("Caching in Redis …", "sharding") — unless be runs it ("is caching").
 */
export function actsAsVerb(words: readonly ClauseWord[], tags: readonly Tag[], i: number): boolean {
  const t = tags[i]!;
  return t.pos === 'AUX' || (t.pos === 'VERB' && !(words[i]!.raw.endsWith('ing') && tags[i - 1]?.pos !== 'AUX'));
}

/** Gaps that separate the items of a list: commas, semicolons, lines, hashtags, bullets, arrows, full stops. */
const ITEM_GAP = /[,;\n#|•·→+.!?]|->|=>/;
/** Words that join list items ("X, then Y", "X and Y"). */
const JOINERS: ReadonlySet<string> = new Set(['and', 'or', 'then', 'plus']);
/** Items from which a run of named terms is a list (fewer is a pair: "Redis or Memcached"). */
const LIST_MIN_ITEMS = 3;
/** Words in a row with no function word that make a string of keywords (a term is shorter). */
const KEYWORD_RUN = 8;

/**
 * "SQL: relational, tables + schema, joins": a label's attributes, listed in its own sentence, are
 * said of it (a terse claim each), unless the label only rates or names them ("Keywords: …") or,
 * given what the question `known`s, names none of its words: a speaker or a field ("Maria: Redis,
 * Memcached, the CDN", "Components: logs, debugger") has the terms listed after it, not said of it.
 */
function attributedItems(text: string, words: readonly ClauseWord[], tags: readonly Tag[], items: number[][], known?: (canon: string) => boolean): Set<number[]> {
  const attributed = new Set<number[]>();
  for (let a = 0; a < items.length; a++) {
    const first = items[a]!;
    const colon = first.findIndex((i, k) => k > 0 && k <= 3 && /[:=]/.test(text.slice(words[first[k - 1]!]!.end, words[i]!.start)));
    if (colon < 0 || first.slice(0, colon).some((i) => EVALUATIVE.has(words[i]!.raw) || tags[i]!.pos === 'PRON')) continue;
    if (known && !first.slice(0, colon).some((i) => known(words[i]!.canon))) continue;
    const sentence = words[first[0]!]!.sentence;
    let b = a;
    while (b + 1 < items.length && words[items[b + 1]![0]!]!.sentence === sentence) b++;
    if (b > a) for (let k = a; k <= b; k++) attributed.add(items[k]!);
    a = b;
  }
  return attributed;
}

/**
 * Terms named as items of a list instead of stated: runs of three or more items with no verb
 * ("profiling, then bottlenecks, then indexes", "#https #oauth #jwt", "Backup - important.
 * Rollback plan - crucial.", "lambda → arrow → functional interface"), including a list that is
 * the subject of one shared predicate ("reproducing, the debugger and the logs all come into
 * play"). A list that is the object of a thing's verb states what that thing does ("Redis supports
 * strings, hashes and lists"), and a label with a statement after it ("Atomicity: all or
 * nothing") is a claim: neither is named. Returns the listed words and the number of items.
 */
export function listedWords(text: string, words: readonly ClauseWord[], tags: readonly Tag[], known?: (canon: string) => boolean): { listed: Set<number>; items: number } {
  const isVerb = (i: number) => actsAsVerb(words, tags, i);
  // Segments: split at item gaps and joiners.
  const segments: number[][] = [];
  for (let i = 0; i < words.length; i++) {
    const gap = i === 0 ? '\n' : text.slice(words[i - 1]!.end, words[i]!.start);
    // ("all or nothing", "one or more": a joiner before a function word joins no items.)
    if (JOINERS.has(words[i]!.raw) && words[i + 1]?.content && !['PRON', 'DET'].includes(tags[i + 1]!.pos)) {
      segments.push([]);
      continue;
    }
    if (i === 0 || ITEM_GAP.test(gap) || segments.length === 0) segments.push([]);
    segments[segments.length - 1]!.push(i);
  }
  const items = segments.filter((s) => s.length > 0);
  const labelClaim = (seg: number[]) => {
    for (let k = 1; k < seg.length; k++) {
      const gap = text.slice(words[seg[k - 1]!]!.end, words[seg[k]!]!.start);
      if (!LABEL_GAP.test(gap)) continue;
      // ("Slide 3: Zero downtime": a number labels an item, not a term the statement is about;
      // a label with its statement may follow: "1: Redis - in-memory cache".)
      if (k <= 2 && /^\d+$/.test(words[seg[k - 1]!]!.raw)) continue;
      return seg.slice(k).filter((i) => words[i]!.content && !EVALUATIVE.has(words[i]!.raw) && tags[i]!.pos !== 'PRON').length >= 2;
    }
    return false;
  };
  // In a short item the tagger's "verb" is often the head of a term ("Copy of production data",
  // "Row counts", "Stack traces"): a word WordNet knows as a noun, with no object after it.
  const termVerb = (seg: number[], k: number) => {
    const i = seg[k]!;
    if (tags[i]!.pos !== 'VERB' || !(hasLemma(words[i]!.raw, 'noun') || hasLemma(tags[i]!.lemma, 'noun'))) return false;
    const next = seg[k + 1];
    const gapAfter = next === undefined ? '' : text.slice(words[i]!.end, words[next]!.start);
    // After a subject it is a verb ("isolation keeps …") — unless the item ends there ("Row counts - key").
    const subject = seg.slice(0, k).some((j) => ['NOUN', 'PROPN', 'PRON'].includes(tags[j]!.pos));
    if (subject) return next !== undefined && LABEL_GAP.test(gapAfter);
    return next === undefined || ['NOUN', 'PROPN', 'ADJ', 'NUM', 'CCONJ'].includes(tags[next]!.pos) || words[next]!.raw === 'of' || /^-$/.test(gapAfter);
  };
  const verbless = (seg: number[]) => seg.every((i, k) => !isVerb(i) || (seg.length <= 5 && termVerb(seg, k)));
  const bare = (seg: number[]) => seg.some((i) => words[i]!.content) && verbless(seg) && !labelClaim(seg) && seg.length <= 6 && !attributed.has(seg);
  const attributed = attributedItems(text, words, tags, items, known);
  const listed = new Set<number>();
  let count = 0;
  for (let a = 0; a < items.length; ) {
    if (!bare(items[a]!)) {
      a++;
      continue;
    }
    let b = a;
    while (b + 1 < items.length && bare(items[b + 1]!)) b++;
    const run = items.slice(a, b + 1).map((seg) => [...seg]);
    // What introduces the run: a thing's verb makes it that verb's object (a claim); a pronoun's
    // or nobody's ("This is all about …", "I'd talk about …") leaves its last words an item.
    // (Only in its own sentence, or before a colon that opens the list: a question before a list
    // is not the verb the list is the object of.)
    const introduces = (seg: number[]) => words[seg.at(-1)!]!.sentence === words[items[a]![0]!]!.sentence || /:/.test(text.slice(words[seg.at(-1)!]!.end, words[items[a]![0]!]!.start));
    const intro = a > 0 && introduces(items[a - 1]!) ? items[a - 1]! : null;
    let object = false;
    if (intro && intro.some(isVerb)) {
      const v = intro.findIndex(isVerb);
      const lastVerb = intro.length - 1 - [...intro].reverse().findIndex(isVerb);
      object = intro.slice(0, v).some((i) => NOUNISH.has(tags[i]!.pos) && informative(words[i]!, tags[i]!));
      const tail = intro.slice(lastVerb + 1);
      if (!object && tail.some((i) => words[i]!.content)) run.unshift(tail);
    }
    // What follows it: a predicate whose subject is the list ("… and the logs all come into play").
    const after = b + 1 < items.length ? items[b + 1]! : null;
    const verbAt = after ? after.findIndex(isVerb) : -1;
    const shared = after !== null && words[after[0]!]!.sentence === words[items[b]!.at(-1)!]!.sentence && verbAt >= 0 && verbAt < after.length - 1 && verbAt <= 4 && !after.slice(0, verbAt).some((i) => tags[i]!.pos === 'PRON');
    if (shared) run.push(after.slice(0, verbAt));
    const named = run.filter((seg) => seg.some((i) => words[i]!.content));
    if (named.length >= LIST_MIN_ITEMS && (!object || shared)) {
      count += named.length;
      for (const seg of named) for (const i of seg) listed.add(i);
    }
    a = b + 1;
  }
  count += keywordRuns(text, words, listed);
  return { listed, items: count };
}

/**
 * A run of words with no function word between them, longer than any term ("design patterns
 * backend examples singleton factory builder repository …"), is a string of keywords, not a
 * sentence: every word in it is named. Adds them to `listed`; returns how many.
 */
function keywordRuns(text: string, words: readonly ClauseWord[], listed: Set<number>): number {
  let count = 0;
  let run: number[] = [];
  const flush = () => {
    if (run.length >= KEYWORD_RUN) {
      for (const i of run) listed.add(i);
      // (Items of a word or two each: "Singleton Factory Method Abstract Factory Builder".)
      count += Math.ceil(run.length / 2);
    }
    run = [];
  };
  for (let i = 0; i < words.length; i++) {
    if (i > 0 && (words[i]!.sentence !== words[i - 1]!.sentence || /\S/.test(text.slice(words[i - 1]!.end, words[i]!.start)))) flush();
    if (words[i]!.content && !STOPWORDS.has(words[i]!.raw)) run.push(i);
    else flush();
  }
  flush();
  return count;
}

/** Modal verbs that tell a subject what it ought to do ("an answer should mention …"). */
const MODALS: ReadonlySet<string> = new Set(['should', 'must', 'would', 'could', 'can', 'will', 'may', 'might']);
const PARTICLES: ReadonlySet<string> = new Set(['up', 'on', 'about', 'over', 'out']);
/** "It is not …", "it has no …": a claim about the pronoun's referent, not a label. */
const NEGATING_NEXT: ReadonlySet<string> = new Set(['not', 'no', 'never', 'nt', 'only', 'always', 'when', 'where', 'because', 'used', 'called']);
/** After a verb of saying or thinking, these introduce what is said ("know that …", "explain how …"). */
const REPORTING: ReadonlySet<string> = new Set(['that', 'how', 'why', 'what', 'when', 'whether', 'if', 'which']);
/** Verbs that only rate or carry: "it matters", "those are important", "it does". */
const CARRIER_LEMMAS: ReadonlySet<string> = new Set(['be', 'have', 'do', 'matter', 'count', 'help', 'worth']);
/** What a feeling verb rates when it frames a salad: the terms just named ("like those"). */
const RATED: ReadonlySet<string> = new Set(['those', 'these', 'them', 'it', 'this', 'that', 'all']);
/**
 * Clauses of the sentences that name topics instead of stating claims: the sentence is framed by
 * a verb of saying or thinking (WordNet's verb classes; "bring up" and other phrasal verbs by
 * their senses), rates its terms ("are relevant", "is important", "matters") or puts them after a
 * mere pronoun and be/have ("We have X.", "It is X."), and does nothing
 * else — no verb of its own that could relate the terms ("You should mention that Redis keeps
 * data in memory" states a claim; "You should mention Redis because it matters" does not).
 */
export function topicClauses(words: readonly ClauseWord[], tags: readonly Tag[]): Set<number> {
  const out = new Set<number>();
  const bySentence = new Map<number, number[]>();
  for (let i = 0; i < words.length; i++) groupPush(bySentence, words[i]!.sentence, i);
  for (const idx of bySentence.values()) {
    let framed = false;
    let doing = false;
    const firstVerb = idx.findIndex((i) => tags[i]!.pos === 'VERB' || tags[i]!.pos === 'AUX');
    const dummySubject = firstVerb > 0 && idx.slice(0, firstVerb).every((i) => tags[i]!.pos === 'PRON' || words[i]!.raw === 'there' || tags[i]!.pos === 'ADV');
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k]!;
      const t = tags[i]!;
      const raw = words[i]!.raw;
      const nextRaw = k + 1 < idx.length ? words[idx[k + 1]!]!.raw : '';
      // "We have X.", "It is X.", "There is X.": nothing but a pronoun before be/have.
      const linking = t.lemma === 'be' || t.lemma === 'have';
      if (k === firstVerb && dummySubject && linking && !NEGATING_NEXT.has(nextRaw)) {
        framed = true;
        continue;
      }
      if (EVALUATIVE.has(raw) && (t.pos === 'ADJ' || t.pos === 'NOUN')) {
        // "… are all relevant", "X is important", "worth saying": a rating.
        // (Not "NoSQL is great for semi-structured data": what it is good for is a claim.)
        if (nextRaw === 'for' && k + 2 < idx.length && words[idx[k + 2]!]!.content) {
          doing = true;
          continue;
        }
        const before = idx.slice(Math.max(0, k - 3), k);
        if (before.some((j) => tags[j]!.lemma === 'be' || words[j]!.raw === 'are' || words[j]!.raw === 'is')) framed = true;
        continue;
      }
      if (t.pos !== 'VERB') continue;
      // A feeling rates what was named before it ("interviewers like those"); a verb of thinking
      // or saying at the head of a sentence is an instruction only when it is not a noun of a
      // term ("Class variables, …") or when a preposition follows ("Think about …").
      const rating = isFeelingVerb(t.lemma) && RATED.has(nextRaw);
      const nounOfTerm = k === 0 && hasLemma(raw, 'noun') && !TOPIC_ADP.has(nextRaw) && !PARTICLES.has(nextRaw);
      // "Selects the minimum from the rest": a verb in -s opening a sentence says what the thing
      // asked about does (its subject left out); an instruction to the reader is never in -s.
      if (k === 0 && raw !== t.lemma && /[^s]s$/.test(raw)) {
        doing = true;
        continue;
      }
      if ((metaVerbKind(t.lemma) && !nounOfTerm) || (PARTICLES.has(nextRaw) && isSayingPhrasal(t.lemma, nextRaw)) || rating) {
        // "Remember that atomicity is all or nothing", "explain how …": what follows is said. A
        // thing that "refers to" or "means" something is defined, not named: only a person
        // (or nobody — an instruction) mentions, thinks about or likes a topic.
        // (What an answer "should mention" is a topic too: a thing said, told what it must say.)
        const told = k > 0 && MODALS.has(words[idx[k - 1]!]!.raw);
        const thingSubject = idx.slice(0, k).some((j) => (tags[j]!.pos === 'NOUN' || tags[j]!.pos === 'PROPN') && !isPersonNoun(tags[j]!.lemma) && !(told && isCommunicationNoun(tags[j]!.lemma)));
        if (REPORTING.has(nextRaw) || thingSubject) doing = true;
        else framed = true;
        continue;
      }
      if (CARRIER_LEMMAS.has(t.lemma)) {
        if (t.lemma === 'matter') framed = true;
        continue;
      }
      // Any other verb can relate the terms: the sentence states something.
      doing = true;
    }
    if (framed && !doing) for (const i of idx) out.add(words[i]!.clause);
  }
  return out;
}

/**
 * The sides a comparison question contrasts, as written: its title ("X vs Y") or its prompt ("the
 * difference between X and Y", "… between mocks, stubs and fakes", "What is X, and how does it
 * differ from Y?"); null when it contrasts nothing.
 */
function comparedSides(question: Pick<Question, 'title' | 'prompt'>): { sides: string[]; aboutFirst: boolean } | null {
  const title = question.title.replace(/["“”]/g, '');
  const vs = /^(.+?)\s+(?:vs\.?|versus)\s+(.+)$/i.exec(title);
  if (vs) return { sides: [vs[1]!, vs[2]!], aboutFirst: false };
  const prompt = question.prompt.replace(/["“”]/g, '');
  const between = /\bdifferences? between (?:an? |the )?([^,?.;]+?) and (?:an? |the )?([^,?.;]+?)(?=[,?.;]|$| in \w+)/i.exec(prompt);
  if (between) return { sides: [between[1]!, between[2]!], aboutFirst: false };
  // "the difference between mocks, stubs and fakes": every item of the list.
  // (Items are a few words each, none a clause: "…, and when would you use each?" and "Redis,
  // which keeps data in memory, and MongoDB" list no such things.)
  const several = /\bdifferences? between ((?:[^,?.;]+, )+[^,?.;]+?,? and [^,?.;]+?)(?=[?.;,]|$| in \w+)/i.exec(prompt);
  if (several) {
    const items = several[1]!.split(/,? and |, /).map((x) => x.trim().replace(/^(?:an? |the )/i, ''));
    return items.every((x) => x && x.split(/\s+/).length <= 3 && !/\band\b/i.test(x) && !CLAUSE_OPENERS.test(x)) ? { sides: items, aboutFirst: false } : null;
  }
  // "What is X, and how does it differ from Y?": about X, set against Y.
  const differ = DIFFER.exec(prompt);
  if (differ) return { sides: [differ[1]!, differ[2]!], aboutFirst: true };
  return null;
}

/** Words that open a clause, not a thing's name ("when would you use each", "which keeps data in memory"). */
const CLAUSE_OPENERS = /^(?:when|where|which|who|why|how|what|that|whose|if|would|should|can|could|do|does|is|are)\b/i;

/** "What is X, and how does it differ from Y?": X is what the question is about, Y what it is set against. */
const DIFFER = /\b(?:what (?:is|are|does)|explain(?: the concept of)?) (.+?),? and how (?:does it|do they|it|they) (?:differs? from|compares? (?:with|to)) (?:an? |the )?([^,?.;]+)/i;

/**
 * Whether a comparison question is about its first subject and sets it against the second ("What
 * is X, and how does it differ from Y?"), rather than contrasting equals ("X vs Y").
 */
export function aboutFirstSubject(question: Pick<Question, 'title' | 'prompt'>): boolean {
  return comparedSides(question)?.aboutFirst ?? false;
}

/** Whether a key point names any of the subjects. */
export function namesAnySubject(point: KeyPoint, subjects: string[][], analyse: (t: string) => ClauseWord[]): boolean {
  return analyse(point.point).some((w) => subjectNamed(w.raw, w.canon, subjects) >= 0);
}

/**
 * The subjects of a comparison question, each as [written, canonical] forms of the word that tells
 * it apart from the others ("user threads and daemon threads" → user, daemon), then the initials it
 * may go by (`acronymsOf`: grading keeps those its question's text uses); null otherwise.
 */
export function subjectsOf(question: Pick<Question, 'title' | 'prompt'>, canonOf: (raw: string) => string): string[][] | null {
  const sides = comparedSides(question)?.sides;
  if (!sides) return null;
  const words = (s: string) =>
    s
      .toLowerCase()
      .replace(/\bin \w+$/, '')
      .replace(/\bnon[ -]/g, 'non')
      .split(/[^a-z0-9]+/)
      .filter((x) => x && !STOPWORDS.has(x) && !['concept', 'idea', 'key'].includes(x));
  const all = sides.map(words);
  if (all.some((w) => w.length === 0 || w.length > 4)) return null;
  // The word that tells each side apart ("continuous delivery" / "continuous integration").
  const own = all.map((w, i) => w.find((x) => !all.some((o, j) => j !== i && o.some((y) => canonOf(y) === canonOf(x)))));
  if (own.some((x) => !x)) return null;
  const out = own.map((x, i) => [x!, canonOf(x!), ...acronymsOf(all[i]!, all)]);
  return new Set(out.map((x) => x[1])).size === out.length ? out : null;
}

/**
 * The initials a side of two or three words goes by ("virtual machines" → vm, vms; "continuous
 * integration" → ci), when no other side shares them and they are no function word.
 */
function acronymsOf(side: readonly string[], all: readonly (readonly string[])[]): string[] {
  if (side.length < 2 || side.length > 3) return [];
  const initials = (w: readonly string[]): string => w.map((x) => x[0]).join('');
  const acronym = initials(side);
  if (STOPWORDS.has(acronym) || all.some((o) => o !== side && initials(o) === acronym)) return [];
  return [acronym, `${acronym}s`];
}

/**
 * Whether a written word names subject `forms` ("Mongo" names MongoDB, "containers"
 * containerization): its [written, canonical] forms, then any short forms its question's text
 * uses ("async" for asynchronous: `withShortForms`).
 */
export function namesSubject(raw: string, canon: string, forms: readonly string[]): boolean {
  const [written, stem] = forms;
  // A shortened or plural form of the written subject: "Mongo", "async", "containers"
  // (containerization) — but not one word of a compound: "array" does not name ArrayList.
  const base = raw.length > 4 ? raw.replace(/e?s$/, '') : raw;
  return canon === stem || raw === written || forms.indexOf(raw, 2) >= 2 || (base.length >= 4 && written!.startsWith(base) && base.length >= written!.length / 2 && !compoundPart(written!, base));
}

/** Whether `start` is one word of a compound `name` ("array" of "arraylist"): the rest is a word of its own. */
function compoundPart(name: string, start: string): boolean {
  const rest = name.slice(start.length);
  return rest.length >= 4 && (hasLemma(rest, 'noun') || hasLemma(rest, 'verb'));
}

/**
 * The subjects' forms (`subjectsOf`), with the short forms the question's own text writes them by,
 * which answers use as much: the initials `subjectsOf` offers when the key points, their phrases
 * or the sample answers use them ("VMs" for virtual machines, "CI" for continuous integration), and
 * the start of one subject's name that its points write, four letters or more ("Sync fits
 * dependent steps", "Async fits I/O-bound work"), not one word of a compound.
 */
export function withShortForms(question: Pick<Question, 'keyPoints' | 'sampleAnswers'>, subjects: string[][], analyse: (t: string) => readonly ClauseWord[]): string[][] {
  const written = new Set(question.keyPoints.flatMap((k) => analyse(k.point).map((w) => w.raw)));
  const used = new Set([...written, ...[...question.sampleAnswers.map((a) => a.text), ...question.keyPoints.flatMap((k) => k.phrases)].flatMap((t) => analyse(t).map((w) => w.raw))]);
  return subjects.map((forms, s) => {
    const name = forms[0]!;
    const clipped = [...written].filter((w) => w.length >= 4 && w.length < name.length && name.startsWith(w) && !compoundPart(name, w) && !subjects.some((o, j) => j !== s && o[0]!.startsWith(w)));
    return [...forms.slice(0, 2), ...forms.slice(2).filter((f) => used.has(f) || used.has(f.replace(/s$/, ''))), ...clipped];
  });
}

/**
 * The subject (index) a written word names, or -1: one it names exactly ("final" is final, not a
 * shortened "finally") before one it names loosely (namesSubject).
 */
export function subjectNamed(raw: string, canon: string, subjects: readonly string[][]): number {
  const exact = subjects.findIndex(([written, stem]) => raw === written || canon === stem);
  return exact >= 0 ? exact : subjects.findIndex((f) => namesSubject(raw, canon, f));
}

/**
 * The subject (index) a key point speaks of: its sentence opens with that subject ("Redis is an
 * in-memory store", "A clustered index stores …") and never names the other one.
 */
export function pointSubject(point: KeyPoint, subjects: string[][], analyse: (t: string) => ClauseWord[]): number | null {
  // "OS-level virtualisation: containers share the host kernel" speaks of what follows its label.
  const colon = point.point.indexOf(':');
  for (const text of colon > 0 ? [point.point, point.point.slice(colon + 1)] : [point.point]) {
    const ws = analyse(text).filter((w) => !['a', 'an', 'the'].includes(w.raw));
    const named = subjects.map((_, s) => ws.some((w) => subjectNamed(w.raw, w.canon, subjects) === s));
    if (named.filter(Boolean).length !== 1) continue;
    const s = named.indexOf(true);
    if (ws[0] && subjectNamed(ws[0].raw, ws[0].canon, subjects) === s) return s;
  }
  return null;
}

/** Words that set what follows against the claim ("unlike ACID", "faster than Redis", "compared with VMs"). */
const CONTRAST: ReadonlySet<string> = new Set(['unlike', 'than', 'versus', 'vs', 'beats', 'outperforms', 'outscales']);
/** "prefer X over Y", "choose X over Y": Y is what X is set against. */
const PREFERRING = /^(?:prefer|preferred|prefers|choose|chose|chooses|pick|picks|picked|favou?r|favou?rs)$/;
/** "compared with Y", "in contrast to Y", "as opposed to Y", "differs from Y": the word before "to"/"with"/"from". */
const CONTRAST_HEAD = /^(?:compared|comparing|contrast|opposed|differ\w*)$/;

/** Which subject each word of an answer names, once per answer (subjectAt, sentenceTopic). */
export interface SubjectIndex {
  /** Per word: the subject it names as what a claim is about, or -1 — none, one set against the claim ("unlike Y"), or "Finally," opening a sentence about something else. */
  named: number[];
  /** Per word: the subject named nearest before it (itself included) in its sentence, or -1; and nearest after it. */
  before: number[];
  after: number[];
  /** Per word: the subjects named in its sentence before it, one (≥ 0), none (-1) or several (-2). */
  topic: number[];
  /** The same within its clause. */
  clauseTopic: number[];
  /** Per word: the first subject its sentence names, up to it (itself included), or -1. */
  first: number[];
  /** Per word: it names a subject only to set it against the claim ("unlike Y"). */
  against: boolean[];
  /** Per sentence number: the subjects it sets against its claims only. */
  contrasted: Map<number, Set<number>>;
  /** Per sentence number: the one subject the nearest earlier sentence that names any names, or null (none, or several). */
  earlier: Map<number, number | null>;
  subjects: number;
}

/** "Y, which keeps …", "Y databases, which use …": what follows is said of Y, even after "different from". */
const RELATIVE_AFTER = /^(?:[\s,]*(?:which|who|that)\b|(?:[ \t]+[\p{L}-]+){1,2},\s*(?:which|who)\b)/iu;

/** Whether the subject word at `i` is set against the claim: "unlike Y", "than Y", "compared with Y", "differs from Y" (not past a comma or another subject). */
function contrastedAt(text: string, words: readonly ClauseWord[], i: number, subjects: readonly string[][]): boolean {
  if (RELATIVE_AFTER.test(text.slice(words[i]!.end, words[i]!.end + 48))) return false;
  for (let k = i - 1; k >= 0 && k >= i - 3 && words[k]!.sentence === words[i]!.sentence; k--) {
    if (words[k + 1]!.afterComma || subjectNamed(words[k]!.raw, words[k]!.canon, subjects) >= 0) return false;
    const raw = words[k]!.raw;
    if (CONTRAST.has(raw) || (['to', 'with', 'from'].includes(raw) && k > 0 && CONTRAST_HEAD.test(words[k - 1]!.raw))) return true;
    if (raw === 'over' && words.slice(Math.max(0, k - 3), k).some((w) => w.sentence === words[i]!.sentence && PREFERRING.test(w.raw))) return true;
  }
  return false;
}

export function subjectIndex(text: string, words: readonly ClauseWord[], subjects: readonly string[][]): SubjectIndex {
  const raw = words.map((w) => subjectNamed(w.raw, w.canon, subjects));
  const named: number[] = [];
  const against: boolean[] = [];
  const bySentence = new Map<number, Set<number>>();
  const contrasted = new Map<number, Set<number>>();
  const add = (map: Map<number, Set<number>>, sentence: number, s: number) => map.set(sentence, (map.get(sentence) ?? new Set<number>()).add(s));
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    let s = raw[i]!;
    against.push(s >= 0 && contrastedAt(text, words, i, subjects));
    if (against[i]) {
      add(contrasted, w.sentence, s);
      s = -1;
    }
    // ("Finally, the garbage collector calls finalize": a sentence adverb, when the sentence is
    // about another subject; "Finally, on the other hand, always runs" is the keyword.)
    const opens = i === 0 || words[i - 1]!.sentence !== w.sentence;
    if (s >= 0 && opens && w.raw === 'finally' && words[i + 1]?.afterComma) {
      let other = false;
      for (let k = i + 1; k < words.length && words[k]!.sentence === w.sentence && !other; k++) other = raw[k]! >= 0 && raw[k] !== s && !contrastedAt(text, words, k, subjects);
      if (other) s = -1;
    }
    named.push(s);
    if (s >= 0) add(bySentence, w.sentence, s);
  }
  const before: number[] = [];
  const topic: number[] = [];
  const clauseTopic: number[] = [];
  const first: number[] = [];
  // (The subjects named before word i since `opens`: its topic, when there is exactly one.)
  const topicOf = (of: number[], i: number, opens: boolean) => {
    const prevTopic = opens ? -1 : of[i - 1]!;
    const prevNamed = opens ? -1 : named[i - 1]!;
    return prevNamed < 0 ? prevTopic : prevTopic === -1 || prevTopic === prevNamed ? prevNamed : -2;
  };
  for (let i = 0; i < words.length; i++) {
    const opens = i === 0 || words[i - 1]!.sentence !== words[i]!.sentence;
    before.push(named[i]! >= 0 ? named[i]! : opens ? -1 : before[i - 1]!);
    first.push(!opens && first[i - 1]! >= 0 ? first[i - 1]! : named[i]!);
    topic.push(topicOf(topic, i, opens));
    clauseTopic.push(topicOf(clauseTopic, i, i === 0 || words[i - 1]!.clause !== words[i]!.clause));
  }
  const after: number[] = new Array<number>(words.length).fill(-1);
  for (let i = words.length - 1; i >= 0; i--) {
    const ends = i === words.length - 1 || words[i + 1]!.sentence !== words[i]!.sentence;
    after[i] = named[i]! >= 0 ? named[i]! : ends ? -1 : after[i + 1]!;
  }
  const earlier = new Map<number, number | null>();
  let last: number | null = null;
  let prev = -1;
  for (const w of words) {
    if (w.sentence === prev) continue;
    earlier.set(w.sentence, last);
    prev = w.sentence;
    const set = bySentence.get(w.sentence);
    if (set) last = set.size === 1 ? [...set][0]! : null;
  }
  return { named, against, before, after, topic, clauseTopic, first, contrasted, earlier, subjects: subjects.length };
}

/**
 * The subject a claim at word `at` is said of: the nearest subject named before it in its
 * sentence, else the first named after it in its sentence ("…, MongoDB is the right option"),
 * else — when the sentence names a subject only to set it against the claim ("Unlike Redis, it
 * keeps documents") — the other one of two; else the one an earlier sentence names alone; null
 * when unknown (none, or several named).
 */
export function subjectAt(words: readonly ClauseWord[], at: number, index: SubjectIndex): number | null {
  if (index.before[at]! >= 0) return index.before[at]!;
  const next = at + 1 < words.length && words[at + 1]!.sentence === words[at]!.sentence ? index.after[at + 1]! : -1;
  if (next >= 0) return next;
  const sentence = words[at]!.sentence;
  const against = index.contrasted.get(sentence);
  if (against) return against.size === 1 && index.subjects === 2 ? 1 - [...against][0]! : null;
  return index.earlier.get(sentence) ?? null;
}

/**
 * The labelled term a claim at word `at` is said of: the one its sentence names before it
 * ("Atomicity means … survives a crash" is said of atomicity). Only within the sentence: a term
 * named in an earlier one is no claim's subject.
 */
export function sentenceTopic(at: number, index: SubjectIndex): number | null {
  // (A clause of its own that names one term is about it: "A Singleton builds objects step by step,
  // while a Builder keeps one instance".)
  if (index.clauseTopic[at]! >= 0) return index.clauseTopic[at]!;
  // Several terms named before it ("polymorphism, inheritance and encapsulation"): none is its topic.
  const t = index.topic[at]!;
  return t >= 0 ? t : null;
}
