/**
 * Key points as claims (issue 23): a point is earned by a clause that states it, said of the right
 * subject, with the right polarity — not by its words occurring. Cases on the shipped bank.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { QuestionBank } from '../../src/content/bank.js';
import { claimClauses, listedWords, subjectsOf, tagWords } from '../../src/content/claims.js';
import { analyse, grade, gradeDetailed } from '../../src/content/grading.js';
import { loadBank } from '../../src/content/loader.js';
import { expectClaimsStand } from './expect-grade.js';
import type { Question } from '../../src/content/types.js';

let bank: QuestionBank;
beforeAll(async () => {
  bank = await loadBank();
});
const q = (id: string): Question => bank.get(id)!;

const ACID_GOOD =
  'Atomicity means a transaction is all or nothing: if one step fails, the whole transaction is rolled back. Consistency means each transaction moves the database from one valid state to another. Isolation means concurrent transactions do not see each other’s uncommitted changes. Durability means a committed transaction survives a crash.';

describe('terms named, claims not made', () => {
  it.each([
    ['we have', 'We have atomicity. We have consistency. We have isolation. We have durability, transactions, commit and rollback.'],
    ['you should mention', 'You should mention atomicity because it matters, consistency because it is important, isolation and durability because interviewers like them.'],
    ['are all relevant', 'Atomicity, consistency, isolation and durability are all relevant here, and so are commit and rollback.'],
    ['think about', 'Think about atomicity, consistency, isolation and durability. Think about commits, rollbacks, crashes and logs too.'],
    ['“obviously”, one term per sentence', 'Obviously atomicity. Obviously consistency. Obviously isolation and durability.'],
    ['a good answer should mention', 'A good answer should mention atomicity and consistency, because interviewers love them. The explanation must mention isolation and durability as well.'],
    ['it is', 'ACID. It is atomicity. It is consistency. It is isolation. It is durability. It is commit and rollback.'],
    ['key words', 'Key words: atomicity, consistency, isolation, durability, commit, rollback, write-ahead log.'],
    ['questions', 'Does atomicity roll back a failed transaction? Does consistency keep every constraint valid? Do concurrent transactions stay isolated from each other? And does a committed transaction survive a crash?'],
  ])('GIVEN the ACID terms joined by “%s” THEN the answer is a salad and earns little', (_glue, text) => {
    const g = grade(q('acid'), text);
    expect(g.flags).toContain('keyword-salad');
    expect(g.quality).toBeLessThanOrEqual(0.4);
    expect(g.quality).toBeLessThanOrEqual(grade(q('acid'), ACID_GOOD).quality / 2);
  });

  it('GIVEN a correct answer that opens with a question THEN the question states nothing and the answer keeps its grade', () => {
    const asked = grade(q('acid'), `What does ACID promise, and why should you care? ${ACID_GOOD}`);
    expect(asked.flags).toEqual([]);
    expect(asked.quality).toBe(grade(q('acid'), ACID_GOOD).quality);
  });

  it.each([
    ['bring up … because interviewers like those', 'mongodb-vs-redis', 'You should mention MongoDB because it matters, and Redis because it is important. Also bring up document database, key-value, in-memory, flexible schema, caching and sessions, because interviewers like those, and persistence with RDB and AOF because that is important too.'],
    ['think about, sentence after sentence', 'reverse-proxy', 'Think about nginx, load balancing and failover. Think about SSL termination, caching and compression. Think about backend servers, the forward proxy, rate limiting and DDoS.'],
  ])('GIVEN a salad framed by “%s” on a question the list items would answer THEN it earns little', (_frame, id, text) => {
    const g = grade(q(id), text);
    expect(g.flags).toContain('keyword-salad');
    expect(g.quality).toBeLessThanOrEqual(0.4);
  });

  it.each([
    ['hashtags', '#acid #atomicity #consistency #isolation #durability #transactions #commit #rollback #wal #locks #mvcc #replication'],
    ['arrows', 'ACID → atomicity → consistency → isolation → durability → commit → rollback → write-ahead log'],
    ['“then” chained', "I'd talk about atomicity, then consistency, then isolation, then durability, then commits and rollbacks."],
    ['rated items', 'Atomicity - important. Consistency - crucial. Isolation - essential. Durability - key. Rollback - vital.'],
    ['a list as the subject of one vague predicate', 'In ACID, atomicity, consistency, isolation and durability all come into play, with commits and rollbacks in the mix.'],
  ])('GIVEN the ACID terms as items of a list (%s) THEN the answer is a salad and earns little', (_glue, text) => {
    const g = grade(q('acid'), text);
    expect(g.flags).toContain('keyword-salad');
    expect(g.quality).toBeLessThanOrEqual(0.4);
  });

  it('GIVEN terms under numbered labels (“Slide 1: Backup.”) THEN the number labels a list item, not a term: a salad; a numbered step with a verb states it', () => {
    const slides = grade(q('data-migrations'), 'Slide 1: Backup. Slide 2: Staging copy. Slide 3: Zero downtime. Slide 4: Small batches. Slide 5: Data integrity. Questions?');
    expect(slides.flags).toContain('keyword-salad');
    expect(slides.quality).toBeLessThanOrEqual(0.25);
    const chapters = grade(q('sql-vs-nosql'), 'Chapter 1: Relational tables. Chapter 2: ACID transactions. Chapter 3: Schemaless document stores. Chapter 4: Horizontal sharding.');
    expect(chapters.quality).toBeLessThanOrEqual(0.25);
    const steps = grade(q('data-migrations'), 'Step 1: take a full backup and test the restore. Step 2: rehearse the migration on staging with a copy of production data. Step 3: run it off-peak in small batches. Step 4: verify row counts and checksums afterwards.');
    expect(steps.flags).toEqual([]);
    expect(steps.quality).toBeGreaterThanOrEqual(0.85);
  });

  it('GIVEN one long sentence that strings the points’ terms with a few vague verbs THEN they are named, not stated; a long sentence of claims is not', () => {
    const salad = grade(q('cap-theorem'), 'With CAP, consistency and availability come into play, with partitions, CP and AP systems being relevant, while ZooKeeper, Cassandra, stale reads and PACELC tie in with the network in the bigger picture.');
    expect(salad.flags).toEqual(['keyword-salad']);
    expect(salad.quality).toBeLessThanOrEqual(0.25);
    const claims = grade(q('java-hashmap'), 'HashMap hashes the key with hashCode to pick a bucket, chains colliding entries in a list that turns into a tree after eight, and resizes when the load factor of 0.75 is passed.');
    expect(claims.flags).toEqual([]);
    expect(claims.quality).toBeGreaterThanOrEqual(0.75);
  });

  it('GIVEN the terms stuffed into one string with no function word (a search query) THEN they are named, not stated', () => {
    // ("design" opening it reads as an instruction whose objects the terms would be.)
    const g = grade(q('design-patterns'), 'design backend patterns tutorial singleton factory builder repository adapter facade decorator observer strategy dependency injection circuit breaker cheat sheet pdf');
    expect(g.flags).toContain('keyword-salad');
    expect(g.quality).toBeLessThanOrEqual(0.25);
  });

  it('GIVEN a list answer to a list question that runs its names together THEN it is the list asked for, not a net cast', () => {
    const g = grade(q('creational-design-patterns'), 'Singleton Factory Method Abstract Factory Builder Prototype Object Pool');
    expect(g.flags).toEqual([]);
    expect(g.quality).toBeGreaterThanOrEqual(0.85);
  });

  it('GIVEN numbered items that are labels with statements (“1: Redis - in-memory cache”) THEN the number does not make them a list', () => {
    for (const text of ['1: Redis - in-memory cache. 2: MongoDB - document store. 3: Kafka - durable event log.', 'Redis - in-memory cache. MongoDB - document store. Kafka - durable event log.']) {
      const words = analyse(text);
      expect(listedWords(text, words, tagWords(text, words)).listed.size, text).toBe(0);
    }
  });

  it('GIVEN what a term is good for (“NoSQL is great for semi-structured data”) THEN it is a claim; “X is great.” alone rates it', () => {
    const text = 'NoSQL is great for semi-structured data. Isolation is great.';
    const words = analyse(text);
    const c = claimClauses(text, words, tagWords(text, words));
    const clauseOf = (w: string) => words.find((x) => x.raw === w)!.clause;
    expect(c.all.has(clauseOf('nosql'))).toBe(true);
    expect(c.topical.has(clauseOf('isolation'))).toBe(true);
  });

  it('GIVEN one term per sentence after “think of” or with “of course” THEN a topic preposition relates nothing: a salad', () => {
    for (const text of ['Think of atomicity. Think of consistency. Think of isolation.', 'Atomicity, of course. Consistency, of course. Isolation, of course.']) {
      expect(grade(q('acid'), text).flags, text).toEqual(['keyword-salad']);
    }
  });

  it('GIVEN three terse notes that relate their terms (“Redis in memory. Cache aside pattern. TTL for expiry.”) THEN they are a terse answer, not named terms', () => {
    const g = grade(q('caching'), 'Redis in memory. Cache aside pattern. TTL for expiry.');
    expect(g.flags).toEqual([]);
    expect(g.quality).toBeGreaterThan(0.5);
  });

  it('GIVEN the question asked back, then terms one per sentence THEN the question is not the verb the terms are objects of: a salad', () => {
    const g = grade(q('java-constructor-types'), 'Which constructors does Java have? Java, constructors, kinds. The compiler. Arguments and parameters. Overloading. Copying. Private ones. Singletons. Factories. Initialising fields.');
    expect(g.flags).toEqual(['keyword-salad']);
    expect(g.quality).toBeLessThanOrEqual(0.25);
    // (A colon that opens the list keeps its verb: "The steps involved are:" then the steps.)
    expect(grade(q('performance-testing'), q('performance-testing').sampleAnswers[0]!.text).quality).toBeGreaterThanOrEqual(0.85);
  });

  it('GIVEN a salad that names bonus points as well THEN it still earns at most a tenth of full quality', () => {
    const g = grade(q('cap-theorem'), 'We have consistency. We have availability. We have partition tolerance. We have network partitions, CP and AP, stale data, ZooKeeper and Cassandra. We have PACELC and linearizability as well.');
    expect(g.flags).toEqual(['keyword-salad']);
    expect(g.covered.some((k) => k.bonus)).toBe(true);
    expect(g.quality).toBeLessThanOrEqual(0.1 + 1e-9);
  });

  it('GIVEN terms whose heads read as verbs, rated one per line THEN the list is still a salad', () => {
    const g = grade(q('data-migrations'), 'Backup - important. Rollback plan - crucial. Staging - essential. Copy of production data - key. Off-peak hours - vital. Batches - crucial. Row counts - relevant. Monitoring - a must.');
    expect(g.flags).toContain('keyword-salad');
    // ("Off" opening a sentence is a preposition, not an instruction: no point counts as stated.)
    expect(g.quality).toBeLessThanOrEqual(0.25);
    const text = 'Off-peak hours - vital. Up front checks - key.';
    const words = analyse(text);
    const tags = tagWords(text, words);
    expect(tags[words.findIndex((w) => w.raw === 'off')]!.pos).not.toBe('VERB');
    expect(tags[words.findIndex((w) => w.raw === 'up')]!.pos).not.toBe('VERB');
    // (A verb the tagger reads as a noun still opens an instruction.)
    const cycle = 'Cycle through the list once.';
    const cw = analyse(cycle);
    expect(tagWords(cycle, cw)[0]!.pos).toBe('VERB');
  });

  it('GIVEN a list as the object of a thing’s verb, or labels with statements THEN the claims stand', () => {
    const labelled = grade(q('acid'), 'Atomicity: all or nothing, a failure rolls everything back. Consistency: valid state to valid state. Isolation: concurrent transactions do not interfere. Durability: committed data survives a crash.');
    expect(labelled.flags).toEqual([]);
    expect(labelled.quality).toBeGreaterThanOrEqual(0.85);
    // A label's attributes, listed tersely in its own sentence, are said of it.
    const terse = 'SQL: relational, tables + schema, joins, ACID, scaled vertically.\nNoSQL: document / key-value / graph, flexible schema, scales out.';
    const words = analyse(terse);
    expect(listedWords(terse, words, tagWords(terse, words)).listed.size).toBe(0);
    const keywords = 'Keywords: relational, tables, schema, joins, ACID, document, key-value, graph.';
    const kw = analyse(keywords);
    expect(listedWords(keywords, kw, tagWords(keywords, kw)).items).toBeGreaterThanOrEqual(3);
    const perf = q('performance-testing');
    expect(grade(perf, perf.sampleAnswers[0]!.text).flags).toEqual([]);
  });

  it('GIVEN a verb of saying with a thing for subject, or one that reports a claim THEN the claim stands', () => {
    // "refers to" defines; "remember that …" reports what follows.
    const api = q('api-gateway');
    expect(grade(api, api.sampleAnswers[0]!.text).quality).toBeGreaterThanOrEqual(0.85);
    const g = gradeDetailed(q('acid'), `Remember that atomicity means a transaction is all or nothing. ${ACID_GOOD}`);
    expect(g.flags).toEqual([]);
    expect(g.quality).toBe(1);
  });

  it('GIVEN the same terms in claims THEN every point is earned, with the clause that states it as evidence', () => {
    const g = gradeDetailed(q('acid'), ACID_GOOD);
    expect(g.flags).toEqual([]);
    expect(g.quality).toBe(1);
    expect(g.evidence?.isolation).toMatch(/do not see each other/);
    expect(g.evidence?.atomicity).toMatch(/all or nothing|rolled back/);
  });

  it('GIVEN a thing said (a file, a list, an answer) that says or points to something THEN it states a claim, unless told what it should mention', () => {
    for (const text of ['A header file declares a class and its functions.', 'Each item in the list points to the next item.']) {
      const words = analyse(text);
      expect(claimClauses(text, words, tagWords(text, words)).all.size).toBeGreaterThan(0);
    }
    const told = 'A good answer should mention atomicity and consistency.';
    const words = analyse(told);
    expect(claimClauses(told, words, tagWords(told, words)).all.size).toBe(0);
  });

  it('GIVEN terse notes that state the core points and list the extra layers THEN they are an answer, not a salad', () => {
    // Two points stated, three named in a list: a salad names most of what it covers (more than two thirds).
    const g = gradeDetailed(
      q('sql-injection'),
      'SQL injection = untrusted input concatenated into a query and run as code. Fix: prepared statements with bound parameters. Extra layers: allow-list validation, least-privilege DB account, WAF.',
    );
    expect(g.flags).toEqual([]);
    expect(g.quality).toBe(1);
  });

  /** Whether every clause of a text states a claim. */
  const allClaims = (text: string) => {
    const words = analyse(text);
    const c = claimClauses(text, words, tagWords(text, words));
    return new Set(words.map((w) => w.clause)).size === c.all.size;
  };

  it('GIVEN a sentence opening on a verb in -s (its subject left out) THEN it states what the thing asked about does; an instruction still names topics', () => {
    // "select" is a verb of choosing (WordNet's verb.cognition), like "consider": only its -s form says what a thing does.
    expect(allClaims('Selects the minimum from the remaining elements of the array and places it in the current position.')).toBe(true);
    const told = 'Consider atomicity, consistency and isolation.';
    const words = analyse(told);
    expect(claimClauses(told, words, tagWords(told, words)).all.size).toBe(0);
  });

  it('GIVEN a verb after a modal or a subject pronoun with an adverb between THEN it is a verb, not a noun ("must first convert", "we first visit")', () => {
    for (const [text, verb] of [
      ['You must first convert infix to postfix.', 'convert'],
      ['We first visit its left subtree.', 'visit'],
    ] as const) {
      const words = analyse(text);
      expect(tagWords(text, words)[words.findIndex((w) => w.raw === verb)]!.pos, text).toBe('VERB');
      expect(allClaims(text), text).toBe(true);
    }
  });

  it('GIVEN "…, then X, then Y" after a claim THEN each step continues the claim; after a bare term it states nothing', () => {
    expect(allClaims('The traversal visits the left subtree first, then the root, then the right subtree.')).toBe(true);
    const bare = 'Consistency, then availability.';
    const words = analyse(bare);
    expect(claimClauses(bare, words, tagWords(bare, words)).all.size).toBe(0);
  });

  it('GIVEN a base-form "verb" after a singular noun with nothing after it THEN it heads a term ("Git bisect", "the root cause")', () => {
    const text = 'Git bisect and recent changes. The root cause, then regression tests.';
    const words = analyse(text);
    const tags = tagWords(text, words);
    expect(tags[words.findIndex((w) => w.raw === 'bisect')]!.pos).toBe('NOUN');
    expect(tags[words.findIndex((w) => w.raw === 'cause')]!.pos).toBe('NOUN');
  });

  it('GIVEN a verb in -s after a possessive and a noun ("the list’s tail points to …") THEN it is read as a verb', () => {
    const text = 'The circular linked list’s tail points to the head.';
    const words = analyse(text);
    const tags = tagWords(text, words);
    expect(tags[words.findIndex((w) => w.raw === 'points')]!.pos).toBe('VERB');
    expect(claimClauses(text, words, tags).all.size).toBe(1);
  });

  it('GIVEN terms with a quantifier after them and one vague verb ("… and durability all come into play") THEN they are listed, not stated', () => {
    const g = grade(q('acid'), 'ACID is really a journey where atomicity, consistency, isolation and durability all come into play, with commits and rollbacks being relevant alongside crashes and locks in the bigger picture.');
    expect(g.flags).toEqual(['keyword-salad']);
    const text = 'The replicas all fail over to the new primary.';
    const words = analyse(text);
    expect(tagWords(text, words)[words.findIndex((w) => w.raw === 'fail')]!.pos).toBe('VERB');
  });

  it('GIVEN a one-sentence definition with no verb whose terms prepositions relate THEN it states a claim; the same terms listed do not', () => {
    const text = 'The number of nodes on the longest path from the root to a leaf.';
    const words = analyse(text);
    const { all } = claimClauses(text, words, tagWords(text, words));
    expect(all.size).toBe(1);
    const listed = 'The number, nodes, the longest path, the root, a leaf.';
    const lw = analyse(listed);
    expect(claimClauses(listed, lw, tagWords(listed, lw)).all.size).toBe(0);
  });

  it('GIVEN a question asking for a list and an answer that frames any of its terms as things to mention THEN it is a salad, not the list asked for', () => {
    const g = grade(q('creational-design-patterns'), 'Singleton, Factory Method, Abstract Factory and Builder. You should mention Prototype as well, interviewers like it.');
    expect(g.flags).toEqual(['keyword-salad']);
  });

  it('GIVEN a terse list that answers a question asking for a list THEN it is not a salad', () => {
    const g = grade(q('creational-design-patterns'), 'The usual ones are Singleton, Factory Method, Abstract Factory, Builder and Prototype, each one a way to create objects.');
    expect(g.flags).toEqual([]);
    expect(g.quality).toBeGreaterThanOrEqual(0.85);
  });
});


describe('subjects of a comparison', () => {
  it('GIVEN MongoDB and Redis swapped THEN neither subject’s point is earned, and the reveal says whose claim it was', () => {
    const swapped = gradeDetailed(
      q('mongodb-vs-redis'),
      'Redis is a document database with a flexible schema that you use as the system of record. MongoDB is an in-memory key-value store for caching and sessions.',
    );
    expect(swapped.covered.map((k) => k.id)).not.toContain('mongodb');
    expect(swapped.covered.map((k) => k.id)).not.toContain('redis');
    expect(swapped.quality).toBeLessThanOrEqual(0.3);
    const right = grade(
      q('mongodb-vs-redis'),
      'MongoDB is a document database with a flexible schema that you use as the system of record. Redis is an in-memory key-value store for caching and sessions.',
    );
    expect(right.covered.map((k) => k.id)).toEqual(expect.arrayContaining(['mongodb', 'redis']));
  });

  it('GIVEN the terms the points are labelled with swapped THEN each claim counts for neither, and the reveal says whose it was', () => {
    const swapped = gradeDetailed(q('acid'), 'Atomicity means that once committed, the changes survive a crash or a power loss. Durability means all operations of a transaction happen or none do, and a failure rolls the whole transaction back.');
    expect(swapped.covered.map((k) => k.id)).not.toContain('atomicity');
    expect(swapped.covered.map((k) => k.id)).not.toContain('durability');
    expect(swapped.voided?.find((v) => v.id === 'durability')?.why).toMatch(/said of atomicity/);
    const right = grade(q('acid'), 'Durability means that once committed, the changes survive a crash or a power loss. Atomicity means all operations of a transaction happen or none do, and a failure rolls the whole transaction back.');
    expect(right.covered.map((k) => k.id)).toEqual(expect.arrayContaining(['atomicity', 'durability']));
    // Terms listed together are no claim's topic.
    const listed = grade(q('acid'), 'The four properties are atomicity, consistency, isolation and durability. A committed transaction survives a crash.');
    expect(listed.covered.map((k) => k.id)).toContain('durability');
  });

  it('GIVEN two labelled terms swapped in one sentence, a clause each THEN each clause is about the term it names: not quoted for the other, and no term earned by naming it', () => {
    const swapped = gradeDetailed(q('creational-design-patterns'), 'A Singleton makes complex objects piece by piece, while a Builder keeps exactly one shared instance for everyone.');
    expect(swapped.evidence?.singleton ?? '').not.toMatch(/shared instance/);
    expect(swapped.evidence?.builder ?? '').not.toMatch(/piece by piece/);
    // (Nor is a term earned by naming it as the subject of another term's claim.)
    expect(swapped.covered.map((k) => k.id)).not.toContain('singleton');
    expect(swapped.covered.map((k) => k.id)).not.toContain('builder');
    expect(swapped.voided?.find((v) => v.id === 'singleton')?.why).toMatch(/says of singleton what is said of builder/);
    const right = gradeDetailed(q('creational-design-patterns'), 'A Singleton keeps exactly one shared instance for everyone, while a Builder makes complex objects piece by piece.');
    expect(right.evidence?.singleton).toMatch(/shared instance/);
    expect(right.evidence?.builder).toMatch(/piece by piece/);
  });

  it('GIVEN final, finally and finalize swapped THEN the keywords stay three subjects (no stem merges them) and the swapped claims count for neither', () => {
    expect(new Set(analyse('final finally finalize').map((w) => w.canon)).size).toBe(3);
    const swapped = gradeDetailed(q('java-final-finally-finalize'), 'finally makes a variable constant so it cannot be reassigned. final is the block after try/catch that always runs for clean-up.');
    expect(swapped.covered.map((k) => k.id)).toEqual([]);
    const right = grade(q('java-final-finally-finalize'), 'final makes a variable constant so it cannot be reassigned. finally is the block after try/catch that always runs for clean-up.');
    expect(right.covered).toHaveLength(2);
  });

  it('GIVEN a question that contrasts three things (“mocks, stubs and fakes”) THEN each is a subject, and their claims swapped count for none', () => {
    const question = q('mocks-stubs-fakes');
    expect(subjectsOf(question, (w) => w)?.map((s) => s[0])).toEqual(['mocks', 'stubs', 'fakes']);
    const swapped = grade(question, 'A mock returns canned answers to the calls made during the test. A stub is pre-programmed with expectations and verifies the calls it receives.');
    expect(swapped.covered).toEqual([]);
    const right = grade(question, 'A stub returns canned answers to the calls made during the test. A mock is pre-programmed with expectations and verifies the calls it receives.');
    expect(right.covered).toHaveLength(2);
  });

  it('GIVEN “What is X, and how does it compare with Y?” THEN a point that names neither is about X, and said of Y it is the swapped claim', () => {
    const question = q('base-properties');
    const swapped = grade(question, 'ACID is what many NoSQL stores follow: the system answers even during failures with possibly stale data, and replicas converge eventually once updates stop.');
    expect(swapped.covered).toEqual([]);
    const right = grade(question, 'BASE is what many NoSQL stores follow: the system answers even during failures with possibly stale data, and replicas converge eventually once updates stop.');
    expect(right.covered.length).toBeGreaterThanOrEqual(2);
    // (Set against the other side in the same sentence, the nearer subject is the one it is said of.)
    expect(grade(question, 'Unlike ACID, BASE keeps answering during failures, possibly with stale data, and the replicas converge once updates stop.').quality).toBeGreaterThanOrEqual(0.85);
  });

  it('GIVEN a correct answer that sets X against Y in the same sentence (“unlike Y”, “extends Y”, “compared with Y”) THEN its claims are said of X', () => {
    for (const [id, text] of [
      ['continuous-delivery', 'Continuous delivery extends continuous integration so that every change is always releasable, and the release process itself is automated: the pipeline deploys to staging automatically, and going to production is a one-click business decision.'],
      ['continuous-delivery', 'Continuous delivery keeps every change releasable. Unlike continuous integration, it also automates the release process, so deployment to staging is automated.'],
      ['base-properties', 'BASE systems, unlike ACID ones, stay available during failures and are eventually consistent: replicas converge once updates stop, and the state can change over time without new input.'],
    ] as const) {
      expectClaimsStand(q(id), text, 0.85);
    }
    // (“In contrast, X …” opens a claim about X; “in contrast to Y” sets Y against it.)
    expect(grade(q('java-final-finally-finalize'), q('java-final-finally-finalize').sampleAnswers.at(-1)!.text).quality).toBeGreaterThanOrEqual(0.85);
  });

  it('GIVEN a correct answer that opens on the other subject (“Unlike Y, X …”, “Compared to Y, X …”, “prefer X over Y”, “X beats Y”) THEN its claims are said of X', () => {
    for (const [id, text] of [
      ['sql-vs-nosql', 'SQL databases are relational, with tables and joins, and give ACID transactions. Unlike SQL databases, NoSQL databases have flexible schemas and scale horizontally. Choose based on your access pattern.'],
      ['java-arraylist-vs-linkedlist', 'ArrayList is backed by a resizable array in contiguous memory. Unlike ArrayList, LinkedList is a doubly linked list of nodes scattered in memory.'],
      ['mongodb-vs-redis', 'MongoDB is a document database with a flexible schema. As opposed to MongoDB, Redis keeps data in memory as a key-value store.'],
      ['mocks-stubs-fakes', 'A mock is programmed with expectations and verifies the calls it receives. Compared to mocks, stubs just return canned answers. A fake is a working but simplified implementation like an in-memory database.'],
      ['java-final-finally-finalize', 'final is a keyword: a final variable cannot be reassigned. Unlike final, finally is a block that always runs after try catch. finalize is a deprecated method called before garbage collection.'],
      ['continuous-delivery', 'Continuous integration merges and tests each change. It is different from continuous delivery, which keeps every change releasable and has an automated deployment pipeline; releasing is a business decision.'],
      ['mongodb-vs-redis', 'Redis beats MongoDB on speed since it keeps data in memory as a key-value store, while MongoDB stores flexible JSON-like documents on disk as the system of record.'],
      ['mongodb-vs-redis', 'Prefer Redis over MongoDB as a caching layer: it keeps data in memory as a key-value store. MongoDB is a document database with a flexible schema for the system of record.'],
    ] as const) {
      expectClaimsStand(q(id), text, 0.75);
    }
    // The same properties on the wrong subject are still the swapped claims.
    expect(grade(q('containerization'), 'Containerization packages an app with its dependencies. Unlike containers, virtual machines share the host kernel and are lightweight.').quality).toBeLessThanOrEqual(0.35);
    expect(grade(q('continuous-delivery'), 'Continuous integration keeps every change releasable and automates the release to production, while continuous delivery only merges code often and runs the tests.').quality).toBeLessThanOrEqual(0.1);
    expect(grade(q('base-properties'), 'ACID systems are basically available, have soft state and are eventually consistent, whereas BASE systems give strict isolation and durability.').quality).toBeLessThanOrEqual(0.1);
  });

  it('GIVEN a lowercase keyword opening a claim (“final makes a variable constant”) THEN its verb in -s is a verb, and the claim stands', () => {
    const text = 'final makes a variable constant so it cannot be reassigned. Good tests catch bugs.';
    const words = analyse(text);
    const tags = tagWords(text, words);
    expect(tags[words.findIndex((w) => w.raw === 'makes')]!.pos).toBe('VERB');
    expect(tags[words.findIndex((w) => w.raw === 'tests')]!.pos).toBe('NOUN');
    const g = grade(q('java-final-finally-finalize'), 'final makes a variable constant so it cannot be reassigned. finally is the block after try/catch that always runs. Finalization is deprecated: the garbage collector calls finalize before collection.');
    expect(g.flags).toEqual([]);
    expect(g.quality).toBeGreaterThanOrEqual(0.85);
  });

  it('GIVEN “Finally,” opening a sentence, or finalise/finalization spelled otherwise THEN neither is read as the wrong keyword', () => {
    expect(grade(q('java-final-finally-finalize'), 'Final is a keyword: a final variable cannot be reassigned. Finally, on the other hand, is a block after try catch that always runs, even if an exception is thrown. Finalize is a deprecated method called before garbage collection.').quality).toBeGreaterThanOrEqual(0.85);
    const question = q('java-final-finally-finalize');
    expect(grade(question, 'First, final makes a variable constant. Second, the finally block always runs after try catch. Finally, the garbage collector calls finalize before collection; it is deprecated.').quality).toBeGreaterThanOrEqual(0.85);
    expect(new Set(analyse('finalize finalise finalising finalization finalisation finalizer').map((w) => w.canon))).toEqual(new Set(['finalize']));
    expect(analyse('finally finals final').map((w) => w.canon)).toEqual(['finally', 'final', 'final']);
  });

  it('GIVEN a prompt whose list of things ends in a clause (“…, and when would you use each?”) THEN the clause is no subject', () => {
    expect(subjectsOf({ title: 'x', prompt: 'What is the difference between mocks, stubs and fakes, and when would you use each?' }, (w) => w)?.map((s) => s[0])).toEqual(['mocks', 'stubs', 'fakes']);
    expect(subjectsOf({ title: 'x', prompt: 'What is the difference between Redis, which keeps data in memory, and MongoDB?' }, (w) => w)).toBeNull();
  });

  it('GIVEN a denial said of the other subject THEN it denies nothing about this one', () => {
    // "ArrayList" point: a resizable array in contiguous memory.
    const g = gradeDetailed(q('java-arraylist-vs-linkedlist'), 'A LinkedList is not a resizable array; its nodes are scattered across the heap.');
    expect(g.voided?.map((v) => v.id) ?? []).not.toContain('arraylist');
    // Said of its own subject, it does.
    const own = gradeDetailed(q('java-arraylist-vs-linkedlist'), 'An ArrayList is not a resizable array; its nodes are scattered across the heap.');
    expect(own.voided?.map((v) => v.id)).toContain('arraylist');
  });

  it('GIVEN ArrayList and LinkedList swapped THEN the swapped sentence is not quoted as evidence for the point', () => {
    const g = gradeDetailed(q('java-arraylist-vs-linkedlist'), 'LinkedList is backed by a resizable array in contiguous memory. ArrayList is a doubly linked list of nodes scattered across the heap.');
    expect(g.covered.map((k) => k.id)).not.toContain('arraylist');
    expect(g.covered.map((k) => k.id)).not.toContain('linkedlist');
  });

  it('GIVEN ArrayList’s growth said of LinkedList THEN “array” is not read as naming ArrayList', () => {
    const g = gradeDetailed(q('java-arraylist-vs-linkedlist'), 'LinkedList keeps its items in one block, and when it fills up it copies itself into a bigger array. ArrayList chains nodes together with pointers.');
    expect(g.covered.map((k) => k.id)).not.toContain('arraylist');
  });

  it('GIVEN a question that contrasts in its prompt (“how does it differ from virtual machines?”) THEN a claim about containers said of VMs is the swapped claim', () => {
    const question = q('containerization');
    expect(subjectsOf(question, (w) => w)?.map((s) => s[0])).toEqual(['containerization', 'virtual']);
    const swapped = gradeDetailed(question, 'Virtual machines share the host operating system kernel and are isolated with namespaces. Containers boot a full guest OS on a hypervisor.');
    expect(swapped.covered.map((k) => k.id)).not.toContain('os-level');
    const right = gradeDetailed(question, 'Containers share the host operating system kernel and are isolated with namespaces. Virtual machines boot a full guest OS on a hypervisor.');
    expect(right.covered.map((k) => k.id)).toContain('os-level');
  });
});

describe('polarity', () => {
  it('GIVEN a correct definition that contains a negation THEN it is not read as denying the point', () => {
    const g = gradeDetailed(q('acid'), 'Isolation means concurrent transactions do not see each other’s half-done changes.');
    expect(g.covered.map((k) => k.id)).toContain('isolation');
    expect(g.voided).toEqual([]);
  });

  it('GIVEN a phrase with its own negator, negated again THEN it is denied (“DRY does not mean don’t repeat yourself”)', () => {
    const g = gradeDetailed(q('die-and-dry'), 'DRY does not mean don’t repeat yourself; it is about formatting code nicely so reviewers enjoy it.');
    expect(g.covered.map((k) => k.id)).not.toContain('dry');
    const right = grade(q('die-and-dry'), 'DRY means don’t repeat yourself: every piece of logic lives in one place, so a change is made once.');
    expect(right.covered.map((k) => k.id)).toContain('dry');
  });
});

describe('a post does not hand out the answer', () => {
  it('GIVEN every bank question THEN its post shows at most one topic, and no word of it is a word the key points reward', async () => {
    const { questionView } = await import('../../src/core/text/views.js');
    const { analyse } = await import('../../src/content/grading.js');
    for (const question of bank.all()) {
      const round = { id: 'r', mode: 'scheduled', revealAt: null, localDate: '2026-01-01' } as never;
      const v = questionView({ round, question, requestedBy: null });
      expect(v.topics.length).toBeLessThanOrEqual(1);
      const rewarded = new Set(
        question.keyPoints.flatMap((k) => [...k.phrases, ...(k.negated ?? []), ...(k.counter ?? [])]).flatMap((p) => analyse(p).map((w) => w.canon)),
      );
      for (const t of v.topics) for (const w of analyse(t.replace(/-/g, ' '))) expect(rewarded.has(w.canon), `${question.id}: ${t}`).toBe(false);
      expect(v.meta, question.id).toContain(question.level);
      expect(v.meta).not.toContain('consistency, availability');
    }
  });

  it('GIVEN a behavioural question THEN its post asks for an example from the member’s own work; a technical one does not', async () => {
    const { questionView } = await import('../../src/core/text/views.js');
    const round = { id: 'r', mode: 'scheduled', revealAt: null, localDate: '2026-01-01' } as never;
    const story = questionView({ round, question: bank.get('backend-testing')!, requestedBy: null });
    expect(story.howToAnswer).toMatch(/example from your own work: the situation, what you did, and the result/);
    expect(questionView({ round, question: bank.get('cap-theorem')!, requestedBy: null }).howToAnswer).not.toMatch(/example/);
  });
});
