/**
 * Text normalisation shared by grading and search: lowercase, strip accents and punctuation,
 * drop function words, Porter-stem the rest ("partitions" and "partitioned" → "partit").
 */
import { stemmer } from 'stemmer';

/** Function words: ignored when matching phrases, counted when judging sentence structure. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but if then else of to in on at by for with from into onto over under about as is are was were be been ' +
    'being am do does did doing have has had having it its this that these those there here their them they we you your our ' +
    'i me my he she his her him so such than too very can could will would shall should may might must not no nor only own ' +
    'same just also each every both any all some more most other which who whom whose what when where why how while during ' +
    'between through before after above below up down out off again further once because until against among per via us'
  ).split(/\s+/),
);

/**
 * Words that say nothing of their own about a topic ("important", "various", "number", "way"):
 * a drafted phrase needs a word outside them. General English, not any question's vocabulary.
 */
export const GENERIC: ReadonlySet<string> = new Set(
  (
    'important main various different several many much more most other others same certain specific particular particularly ' +
    'common general good great better best key major basic simple typical usual usually often also well really very highly ' +
    'number numbers lot lots kind kinds type types way ways thing things part parts case cases example examples instance ' +
    'hand full form forms term terms concept concepts idea ideas aspect aspects approach approaches situation situations ' +
    'purpose benefit benefits advantage advantages feature features reason reasons fact means manner sort level levels ' +
    'able possible necessary crucial essential ideal useful suitable suited right wrong new old first second third last ' +
    'whole entire overall such'
  ).split(' '),
);

/** A word that says something of its own: a content word, neither a function word nor a generic one. */
export function isSpecific(w: { raw: string; content: boolean }): boolean {
  return w.content && !STOPWORDS.has(w.raw) && !GENERIC.has(w.raw);
}

/** Verbs too general to make a phrase with their object ("allows tasks", "uses tokens"): the object alone counts. */
export const LIGHT_VERBS: ReadonlySet<string> = new Set(
  (
    'be have do use make allow enable help ensure include provide refer mean involve get give let need want come go take ' +
    'become consider call know say tell show lead result tend seem offer contain comprise represent describe define stand ' +
    'implement employ leverage utilize utilise perform apply support require'
  ).split(' '),
);

/** Lowercased words without accents or punctuation ("Pub/Sub, e.g." → ["pub", "sub", "e", "g"]). */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function stem(word: string): string {
  return /^[a-z]+$/.test(word) && word.length > 2 ? stemmer(word) : word;
}

/** Content terms: words minus stopwords, stemmed. */
export function terms(text: string): string[] {
  return words(text)
    .filter((w) => !STOPWORDS.has(w))
    .map(stem);
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions: "cpa" → "cap" is 1). */
export function editDistance(a: string, b: string, max = 2): number {
  if (a === b) return 0;
  // Words whose lengths differ by more than `max` are "far": max + 1 without computing.
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
