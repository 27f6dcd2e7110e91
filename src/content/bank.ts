/**
 * The question bank in memory, and topic search for `/quiz <topic>` and autocomplete.
 *
 * Ranking, strongest first:
 *   1. the question id, or a tag/alias equal to the query ("cap", "reverse proxy");
 *   2. a tag/alias one typo away ("cpa" → cap, "graphq" → graphql);
 *   3. full-text search (MiniSearch, stemmed, prefix + fuzzy) where title, tags and aliases
 *      weigh far more than the question text, and the sample answers least ("mere mentions").
 * A query matches when tiers 1–2 hit, or when every query term is found (AND) by tier 3.
 */
import MiniSearch from 'minisearch';
import { editDistance, STOPWORDS, stem, words } from './text.js';
import { registerPeers } from './peers.js';
import type { Level, Question } from './types.js';

export interface Suggestion {
  id: string;
  title: string;
  topics: string[];
  score: number;
}

export type FindResult =
  | { kind: 'match'; question: Question; candidates: Question[]; suggestions: Suggestion[] }
  | { kind: 'none'; question?: undefined; candidates: Question[]; suggestions: Suggestion[] };

export interface QuestionFilter {
  topics?: string[];
  excludeTopics?: string[];
  levels?: Level[];
}

interface Doc {
  id: string;
  title: string;
  tags: string;
  prompt: string;
  body: string;
}

const norm = (s: string) => words(s).join(' ');

function processTerm(term: string): string | null {
  const w = term.toLowerCase();
  if (STOPWORDS.has(w)) return null;
  return stem(w);
}

/** Longest query searched (the command layer refuses longer topics with a clear message). */
export const QUERY_MAX = 100;

export class QuestionBank {
  private readonly byId: Map<string, Question>;
  private readonly list: readonly Question[];
  private readonly index: MiniSearch<Doc>;
  /** normalised tag/alias/id phrase → questions, with a weight (primary tag and id weigh most). */
  private readonly exact = new Map<string, { q: Question; weight: number }[]>();

  constructor(questions: readonly Question[]) {
    this.list = [...questions].sort((a, b) => a.id.localeCompare(b.id));
    this.byId = new Map(this.list.map((q) => [q.id, q]));
    registerPeers(this.list);
    for (const q of this.list) {
      const add = (phrase: string, weight: number) => {
        const k = norm(phrase);
        if (!k) return;
        const arr = this.exact.get(k) ?? [];
        const prev = arr.find((e) => e.q === q);
        if (prev) prev.weight = Math.max(prev.weight, weight);
        else arr.push({ q, weight });
        this.exact.set(k, arr);
      };
      add(q.id, 5);
      q.topics.forEach((t, i) => add(t, i === 0 ? 4 : 3));
      q.aliases.forEach((a) => add(a, 3.5));
      add(q.title, 3);
    }
    this.index = new MiniSearch<Doc>({
      fields: ['id', 'title', 'tags', 'prompt', 'body'],
      storeFields: [],
      tokenize: (s) => words(s),
      processTerm,
      searchOptions: { boost: { id: 3, title: 4, tags: 5, prompt: 1.5, body: 0.3 }, prefix: (t) => t.length >= 3, fuzzy: (t) => (t.length >= 5 ? 0.2 : false) },
    });
    this.index.addAll(
      this.list.map((q) => ({
        id: q.id,
        title: q.title,
        tags: [...q.topics, ...q.aliases].join(' '),
        prompt: `${q.prompt}\n${q.keyPoints.map((k) => k.point).join('\n')}`,
        body: q.sampleAnswers.map((a) => a.text).join('\n'),
      })),
    );
  }

  get size(): number {
    return this.list.length;
  }

  all(): readonly Question[] {
    return this.list;
  }

  get(id: string): Question | undefined {
    return this.byId.get(id);
  }

  /** Every tag with the number of questions carrying it, most used first. */
  topics(): { topic: string; count: number }[] {
    const counts = new Map<string, number>();
    for (const q of this.list) for (const t of q.topics) counts.set(t, (counts.get(t) ?? 0) + 1);
    return [...counts].map(([topic, count]) => ({ topic, count })).sort((a, b) => b.count - a.count || a.topic.localeCompare(b.topic));
  }

  filter(f: QuestionFilter = {}): Question[] {
    const want = f.topics?.length ? new Set(f.topics.map((t) => t.toLowerCase())) : null;
    const drop = new Set((f.excludeTopics ?? []).map((t) => t.toLowerCase()));
    const levels = f.levels?.length ? new Set(f.levels) : null;
    return this.list.filter(
      (q) => (!want || q.topics.some((t) => want.has(t))) && !q.topics.some((t) => drop.has(t)) && (!levels || levels.has(q.level)),
    );
  }

  /** Tiers 1–2: exact tag/alias/id hits, else tags one typo away. */
  private tagHits(query: string): { q: Question; score: number }[] {
    const k = norm(query);
    if (!k) return [];
    const exact = this.exact.get(k);
    if (exact?.length) return exact.map((e) => ({ q: e.q, score: 100 + e.weight }));
    const out = new Map<Question, number>();
    for (const [phrase, entries] of this.exact) {
      if (Math.abs(phrase.length - k.length) > 2) continue;
      const max = k.length >= 8 ? 2 : k.length >= 3 ? 1 : 0;
      if (max === 0) continue;
      const d = editDistance(k, phrase);
      if (d > max) continue;
      for (const e of entries) out.set(e.q, Math.max(out.get(e.q) ?? 0, 50 + e.weight - d * 5));
    }
    return [...out].map(([q, score]) => ({ q, score }));
  }

  /** Ranked suggestions for autocomplete and "did you mean" (top `limit`). */
  suggest(query: string, limit = 10): Suggestion[] {
    // Fuzzy matching costs grow with the input: nothing past QUERY_MAX characters is searched.
    const q = query.trim().slice(0, QUERY_MAX);
    if (!q) return this.list.slice(0, limit).map((x) => this.suggestion(x, 0));
    const scores = new Map<Question, number>();
    for (const h of this.tagHits(q)) scores.set(h.q, h.score);
    // Single misspelt words against tags ("consistensy models" → consistency).
    for (const w of words(q)) {
      if (w.length < 4 || STOPWORDS.has(w)) continue;
      const max = w.length >= 7 ? 2 : 1;
      for (const [phrase, entries] of this.exact) {
        for (const pw of phrase.split(' ')) {
          if (pw.length < 4 || Math.abs(pw.length - w.length) > max) continue;
          const d = editDistance(w, pw);
          if (d === 0 || d > max) continue;
          for (const e of entries) scores.set(e.q, Math.max(scores.get(e.q) ?? 0, 30 + e.weight - d * 5));
        }
      }
    }
    const results = this.index.search(q, { combineWith: 'OR' });
    const top = results[0]?.score ?? 1;
    for (const r of results) {
      const question = this.byId.get(r.id as string);
      if (!question) continue;
      // Full-text scores are normalised below the tag tiers.
      const s = 40 * (r.score / top) + (r.terms.length > 1 ? 1 : 0);
      scores.set(question, Math.max(scores.get(question) ?? 0, s));
    }
    return [...scores]
      .sort((a, b) => b[1] - a[1] || a[0].id.localeCompare(b[0].id))
      .slice(0, limit)
      .map(([x, s]) => this.suggestion(x, s));
  }

  /**
   * A question for `/quiz <query>`. `candidates` are the equally strong matches (e.g. every
   * question tagged `rest`), so callers can pick one the channel has not had yet.
   */
  find(query: string): FindResult {
    query = query.slice(0, QUERY_MAX);
    const suggestions = this.suggest(query, 5);
    const hits = this.tagHits(query);
    if (hits.length) {
      const best = Math.max(...hits.map((h) => h.score));
      const candidates = hits
        .filter((h) => h.score === best)
        .map((h) => h.q)
        .sort((a, b) => a.id.localeCompare(b.id));
      return { kind: 'match', question: candidates[0]!, candidates, suggestions };
    }
    if (!norm(query)) return { kind: 'none', candidates: [], suggestions };
    const all = this.index.search(query, { combineWith: 'AND' });
    const first = all[0];
    if (first) {
      const question = this.byId.get(first.id as string)!;
      const candidates = all.filter((r) => r.score >= first.score * 0.999).map((r) => this.byId.get(r.id as string)!);
      return { kind: 'match', question, candidates, suggestions };
    }
    return { kind: 'none', candidates: [], suggestions };
  }

  private suggestion(q: Question, score: number): Suggestion {
    return { id: q.id, title: q.title, topics: q.topics, score: Math.round(score * 100) / 100 };
  }
}
