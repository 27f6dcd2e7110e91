/**
 * Every grading rule of issue 15 on hand-written cases: polarity (negation scope, negated and
 * counter phrases), quantifiers kept, required vs bonus weights, evidence, synonyms and typos,
 * salad by structure (also dressed as sentences), echo only when nothing is added, terse answers
 * scored on what they cover, copy detection.
 */
import { describe, expect, it } from 'vitest';
import { COPY_THRESHOLD, analyse, closeness, copiedShare, grade, gradeDetailed, peerCloseness, phraseWords, prepareGrading, shingles } from '../../src/content/grading.js';
import { peersOf, registerPeers } from '../../src/content/peers.js';
import type { KeyPoint, Question } from '../../src/content/types.js';
import { makeQuestion } from '../helpers/core.js';

const q = (points: KeyPoint[], prompt = 'Explain it.'): Question => ({ ...makeQuestion('q', ['t'], []), keyPoints: points, prompt });

const ACID = q(
  [
    { id: 'atomicity', point: 'Atomicity: all or nothing', phrases: ['atomicity', 'all or nothing'], counter: ['partially applied', 'partial progress is kept'] },
    { id: 'isolation', point: 'Isolation: concurrent transactions do not interfere', phrases: ['isolation', 'concurrent transactions'] },
    { id: 'durability', point: 'Durability: committed data survives crashes', phrases: ['durability', 'survives a crash'] },
    { id: 'levels', point: 'Knows isolation levels', phrases: ['isolation level', 'serializable'], bonus: true },
  ],
  'Can you explain the concept of ACID in databases?',
);

const CTOR = q([
  { id: 'no-return', point: 'A constructor cannot return a value', phrases: ['no return type'], negated: ['return a value', 'return type'] },
  { id: 'same-name', point: 'It has the class name', phrases: ['same name as the class'] },
]);

describe('polarity', () => {
  it('GIVEN the right words negated THEN they earn nothing, and the reveal says why', () => {
    const g = gradeDetailed(ACID, 'ACID does not include atomicity, and transactions never have isolation. Durability is not something databases give you.');
    expect(g.covered).toEqual([]);
    expect(g.quality).toBe(0);
    expect(g.voided?.map((v) => v.id).sort()).toEqual(['atomicity', 'durability', 'isolation']);
    expect(g.voided?.find((v) => v.id === 'atomicity')?.why).toMatch(/you wrote “ACID does not include atomicity/);
  });

  it('GIVEN a negation in another clause THEN it does not reach the phrase', () => {
    const g = grade(ACID, 'It is not magic, but atomicity means all or nothing for a transaction.');
    expect(g.covered.map((k) => k.id)).toEqual(['atomicity']);
  });

  it('GIVEN the terms as the subject of a negated verb THEN they are denied; the next conjunct’s negation neither reaches back nor cancels', () => {
    const PERF = q([
      { id: 'cache', point: 'Caching makes reads faster', phrases: ['caching', 'cache'] },
      { id: 'scale', point: 'Horizontal scaling and load balancing spread load', phrases: ['horizontal scaling', 'load balancing'] },
    ]);
    const denied = gradeDetailed(PERF, 'Caching in Redis or a CDN doesn’t make responses faster. Horizontal scaling, sharding and load balancing never help throughput.');
    expect(denied.covered).toEqual([]);
    expect(denied.voided?.map((v) => v.id).sort()).toEqual(['cache', 'scale']);
    const stated = grade(PERF, 'A cache in Redis makes responses faster and does not need a schema. Load balancing spreads requests over servers.');
    expect(stated.covered.map((k) => k.id).sort()).toEqual(['cache', 'scale']);
    // Two negated conjuncts do not cancel out: each denies its own.
    const both = gradeDetailed(PERF, 'You can’t use a cache and can’t use load balancing here.');
    expect(both.covered).toEqual([]);
  });

  it('GIVEN a bound (“no more than an hour of downtime”, “not later than”) THEN it denies nothing; “no downtime” still does', () => {
    const UPTIME = q([{ id: 'nines', point: 'Uptime is promised as nines', phrases: ['hour of downtime a year'] }]);
    expect(grade(UPTIME, 'Four nines means no more than an hour of downtime a year, which the SLA promises.').covered.map((k) => k.id)).toEqual(['nines']);
    expect(grade(UPTIME, 'We promise to restore it not later than an hour of downtime a year.').covered.map((k) => k.id)).toEqual(['nines']);
    expect(grade(UPTIME, 'There is never an hour of downtime a year with four nines.').voided?.map((v) => v.id)).toEqual(['nines']);
  });

  it('GIVEN a denied subject that opens with a plural noun, a participle or a gerund THEN the denial reaches it; a point that is itself a denial is stated by it', () => {
    const SEC = q([
      { id: 'params', point: 'Prepared statements prevent injection', phrases: ['prepared statements'] },
      { id: 'obs', point: 'Reads logs and traces', phrases: ['traces'] },
      { id: 'priv', point: 'Least privilege limits the damage', phrases: ['least privilege'] },
      { id: 'isolation', point: 'One failing service need not take down everything', phrases: ['failure in one service'] },
    ]);
    const denied = grade(SEC, 'Parameterized queries and prepared statements don’t prevent it. Logs, metrics and traces aren’t something I look at. It doesn’t help, and running the app under least privilege doesn’t limit anything.');
    expect(denied.covered.map((k) => k.id)).toEqual([]);
    // Without the denials each of them is covered.
    const stated = grade(SEC, 'Parameterized queries and prepared statements prevent it. Logs, metrics and traces are what I look at. Running the app under least privilege limits the damage.');
    expect(stated.covered.map((k) => k.id).sort()).toEqual(['obs', 'params', 'priv']);
    expect(grade(SEC, 'Teams deploy on their own, and a failure in one service doesn’t take down everything.').covered.map((k) => k.id)).toEqual(['isolation']);
  });

  it('GIVEN a long negated predicate THEN the negator reaches its end through plain words, but not past a comma, a bracket, a dash or a clause', () => {
    const MAP = q([
      { id: 'bucket', point: 'Picks a bucket from the hash', phrases: ['bucket'] },
      { id: 'sorted', point: 'Already sorted', phrases: ['already sorted'] },
      { id: 'effort', point: 'Takes more thought', phrases: ['more thought'] },
    ]);
    expect(grade(MAP, 'HashMap doesn’t hash the key with hashCode to pick a bucket.').covered).toEqual([]);
    expect(grade(MAP, 'The pass doesn’t have to make any changes (the list is already sorted).').covered.map((k) => k.id)).toEqual(['sorted']);
    expect(grade(MAP, 'Simple isn’t the same as easy — getting to a simple design takes more thought.').covered.map((k) => k.id)).toEqual(['effort']);
    // "It is not true that …" denies all of what follows.
    expect(grade(MAP, 'It is not true that the pass stops early once the whole list is already sorted.').covered).toEqual([]);
    // Two negators far apart each deny their own words; they do not cancel out.
    expect(grade(MAP, 'No rehashing happens and the map never picks a bucket.').covered).toEqual([]);
    // (Nor in one clause: a second negator cancels the first only within a few words.)
    expect(grade(MAP, 'Without a hash the map never picks a bucket.').covered).toEqual([]);
  });

  it('GIVEN a negator that opens a list THEN it reaches every item; a bracket, an arrow or a clause in between stops it; "failed" before a noun is no negator', () => {
    const MIG = q([
      { id: 'impact', point: 'Limits impact: low-traffic window, batches, zero-downtime steps', phrases: ['zero downtime'] },
      { id: 'queue', point: 'Moves slow work to background workers', phrases: ['background workers'] },
      { id: 'tls', point: 'Terminates TLS', phrases: ['terminate ssl'] },
    ]);
    expect(grade(MIG, 'No need for a low-traffic window, batches or zero-downtime steps.').covered).toEqual([]);
    expect(grade(MIG, 'Anything slow the user doesn’t need to wait for (emails, reports, resizing) -> queue + background workers.').covered.map((k) => k.id)).toEqual(['queue']);
    expect(grade(MIG, 'It routes around failed ones, terminates SSL and compresses responses.').covered.map((k) => k.id)).toEqual(['tls']);
    expect(grade(MIG, 'When no batch job exists when one is needed, a zero-downtime deploy is planned.').covered.map((k) => k.id)).toEqual(['impact']);
  });

  it('GIVEN a point that is a negative statement THEN only the negated form covers it', () => {
    expect(grade(CTOR, 'A constructor cannot return a value and has the same name as the class.').coverage).toBe(1);
    expect(grade(CTOR, "Constructors don't have a return type; they share the same name as the class.").coverage).toBe(1);
    const wrong = gradeDetailed(CTOR, 'A constructor must return a value, the new object.');
    expect(wrong.covered).toEqual([]);
    expect(wrong.voided?.[0]?.why).toMatch(/opposite/);
  });

  it('GIVEN a misconception (counter-phrase) THEN it voids the point even next to the right word', () => {
    const g = gradeDetailed(ACID, 'Atomicity means each statement is saved on its own so partial progress is kept after a crash.');
    expect(g.covered.map((k) => k.id)).not.toContain('atomicity');
    expect(g.voided?.find((v) => v.id === 'atomicity')?.why).toMatch(/contradicts/);
  });

  it('GIVEN "X is not optional" THEN X is affirmed, not denied', () => {
    const cap = q([{ id: 'p', point: 'Partition tolerance is required', phrases: ['partition tolerance'] }]);
    expect(grade(cap, 'Partition tolerance is not optional in a real network.').coverage).toBe(1);
  });
});

describe('phrases keep negators and quantifiers', () => {
  it('GIVEN "only two" THEN "two cats" does not match it', () => {
    const k = q([{ id: 'two', point: 'Only two of the three hold during a partition', phrases: ['only two of three'] }, { id: 'x', point: 'x', phrases: ['zzz'] }]);
    expect(grade(k, 'I have two cats and three dogs at home.').covered).toEqual([]);
    expect(grade(k, 'Only two of the three guarantees can hold during a partition.').covered.map((p) => p.id)).toEqual(['two']);
  });

  it('GIVEN a phrase of several words that keeps only a quantifier ("must have two") THEN it matches nothing', () => {
    const tree = q([{ id: 'max', point: 'At most two children', phrases: ['at most two'], counter: ['must have two'] }]);
    const g = gradeDetailed(tree, 'Each node has up to two children: one or two subtrees.');
    expect(g.voided).toEqual([]);
    expect(phraseWords('must have two')).toEqual([]);
    expect(phraseWords('two').map((w) => w.raw)).toEqual(['two']);
  });
});

describe('weights', () => {
  it('GIVEN every required point and no bonus THEN quality is full; a bonus adds on top of a partial answer', () => {
    const core = grade(ACID, 'Atomicity: a transaction is all or nothing. Isolation: concurrent transactions do not see each other. Durability: once committed it survives a crash.');
    expect(core.covered.map((k) => k.id)).toEqual(['atomicity', 'isolation', 'durability']);
    expect(core.quality).toBe(1);
    expect(core.coverage).toBe(0.75);
    const partial = grade(ACID, 'Atomicity means all or nothing, and serializable is the strictest isolation level.');
    expect(partial.quality).toBeCloseTo((2 + 0.5) / 3, 5);
  });
});

describe('evidence, synonyms, typos', () => {
  it('GIVEN a covered point THEN the words that earned it are kept', () => {
    const g = gradeDetailed(ACID, 'Durability: when a commit returns, the data survives a crash of the server.');
    expect(g.evidence?.durability).toMatch(/survives a crash/);
  });

  it('GIVEN a synonym or a typo in a long word THEN the phrase still matches; a typo in a short word does not', () => {
    const cap = q([{ id: 'pick', point: 'Choose C or A', phrases: ['choose consistency or availability'] }, { id: 't', point: 't', phrases: ['tolerance'] }]);
    expect(grade(cap, 'During a split you pick consistency or availability, never both.').covered.map((k) => k.id)).toEqual(['pick']);
    expect(grade(cap, 'You must choose consistancy or availabilty when it happens.').covered.map((k) => k.id)).toEqual(['pick']);
    expect(grade(cap, 'The system keeps its tolerence under load, they say.').covered.map((k) => k.id)).toEqual(['t']);
    const short = q([{ id: 'cap', point: 'cap', phrases: ['cap theorem'] }]);
    expect(grade(short, 'The cop theorem is about something else entirely.').covered).toEqual([]);
  });
});

describe('word order', () => {
  it('GIVEN a two-word phrase reversed THEN it matches; a phrase whose order carries meaning does not', () => {
    const k = q([
      { id: 'pt', point: 'Partition tolerance', phrases: ['partition tolerance'] },
      { id: 'only', point: 'Only one leader', phrases: ['only leader'] },
    ]);
    expect(grade(k, 'The system must stay tolerant of a network partition at all times.').covered.map((p) => p.id)).toEqual(['pt']);
    expect(grade(k, 'There is a leader and only then a follower takes over later.').covered.map((p) => p.id)).toEqual([]);
  });
});

describe('word forms', () => {
  it('GIVEN a word every JavaScript object answers to ("constructor") THEN its plural matches it like any other word', () => {
    for (const word of ['constructor', 'toString', 'valueOf']) {
      const [one] = analyse(word);
      const [many] = analyse(`${word}s`);
      expect(typeof one!.canon).toBe('string');
      expect(one!.canon).toBe(many!.canon);
    }
  });

  it('GIVEN irregular verbs and British spellings THEN they match their base and American forms', () => {
    const k = q([
      { id: 'chose', point: 'Chooses availability', phrases: ['choose availability'] },
      { id: 'opt', point: 'Optimizes the behavior', phrases: ['optimize behavior'] },
    ]);
    expect(grade(k, 'We chose availability when the link broke, and we optimised the behaviour of retries.').covered.map((p) => p.id)).toEqual(['chose', 'opt']);
  });
});

describe('fair anti-gaming', () => {
  it('GIVEN key terms dressed as sentences THEN it is a keyword salad and earns a tenth', () => {
    const g = grade(ACID, 'It is atomicity. It is isolation and it is durability. It is also serializable.');
    expect(g.flags).toContain('keyword-salad');
    expect(g.quality).toBeLessThanOrEqual(0.1 + 1e-9);
  });

  it('GIVEN key terms joined by fluent verbs that relate nothing THEN it is a keyword salad; GIVEN the terms said of the subject asked about THEN it is not', () => {
    const fluent =
      'Atomicity feeds naturally into isolation, which then carries everything forward, and durability closes the loop by reinforcing whatever the earlier steps have already established, so that every part shapes the others and the whole design stays balanced and elegant in the end.';
    const g = gradeDetailed(ACID, fluent);
    expect(g.points.filter((p) => p.result.covered).map((p) => [p.point.id, p.result.named])).toEqual([
      ['atomicity', true],
      ['isolation', true],
      ['durability', true],
    ]);
    expect(g.flags).toContain('keyword-salad');
    expect(g.quality).toBeLessThanOrEqual(0.1 + 1e-9);
    // Terms said of what was asked about are claims about it, however terse.
    const said = grade(ACID, 'ACID databases give you atomicity for every statement, they give isolation between sessions, and they promise durability after commit, which is why banks and shops trust them with orders, payments and stock levels every day.');
    expect(said.flags).toEqual([]);
    expect(said.quality).toBe(1);
    // A short answer that names its points is terse, not a salad of names.
    expect(grade(ACID, 'Atomicity, isolation and durability keep a transaction safe.').flags).toEqual([]);
  });

  it('GIVEN terse real sentences with than, where, only, into, through THEN they are not salad', () => {
    const g = grade(ACID, 'Atomicity: all or nothing, rather than half done. Isolation: concurrent transactions only see committed data, where locks apply. Durability: a commit survives a crash through the log written into disk.');
    expect(g.flags).toEqual([]);
    expect(g.quality).toBe(1);
  });

  it('GIVEN the question pasted back THEN echo; GIVEN a complete answer that repeats the question THEN no echo', () => {
    expect(grade(ACID, 'Can you explain the concept of ACID in databases?').flags).toEqual(['echo']);
    const full = grade(ACID, 'The concept of ACID in databases: atomicity is all or nothing, isolation keeps concurrent transactions apart, durability means committed data survives a crash.');
    expect(full.flags).toEqual([]);
    expect(full.quality).toBe(1);
  });

  it('GIVEN a correct terse answer THEN it is scored on what it covers; one or two words never are', () => {
    const sig = q([{ id: 'sig', point: 'Overloads differ by signature', phrases: ['function signature', 'parameter list'] }, { id: 'o', point: 'o', phrases: ['compile time'] }]);
    const g = grade(sig, 'By their function signature.');
    expect(g.flags).toEqual([]);
    // (Half by its points; closeness to the points' few phrases, read together, adds to it.)
    expect(g.quality).toBeGreaterThanOrEqual(0.5);
    expect(g.quality).toBeLessThan(0.9);
    expect(grade(sig, 'signature').flags).toEqual(['too-short']);
  });

  it('GIVEN one or two words that are the whole answer to a short-answer question THEN they earn it', () => {
    const scope = q([{ id: 'file', point: 'File scope', phrases: ['file scope'] }], 'What is the scope of a global variable?');
    expect(grade(scope, 'File scope.').flags).toEqual([]);
    expect(grade(scope, 'File scope.').quality).toBe(1);
    // Two words that cover one of several required points are still a keyword, not an answer.
    expect(grade(ACID, 'atomicity, isolation').flags).toEqual(['too-short']);
  });

  it('GIVEN a bare list to a question that asks for one THEN it is the answer; GIVEN the same list to a question that asks to explain THEN it is a salad; three bare words are no list', () => {
    const points = [
      { id: 'public', point: 'public', phrases: ['public'] },
      { id: 'private', point: 'private', phrases: ['private'] },
      { id: 'protected', point: 'protected', phrases: ['protected'] },
    ];
    const asked = q(points, 'What are the access specifiers that can be used in a C++ class definition?');
    expect(grade(asked, 'public, private, protected').flags).toEqual([]);
    expect(grade(asked, 'public, private, protected').quality).toBe(1);
    // A list asked for only after something else is explained is not the answer on its own.
    const explain = q(points, 'Describe how a C++ class controls access to its members. What are the access specifiers?');
    expect(grade(explain, 'public, private, protected').flags).toEqual(['keyword-salad']);
    // Three words with no separator are a terse answer, not a list.
    const inorder = q(
      [
        { id: 'left', point: 'Left subtree first', phrases: ['left'] },
        { id: 'node', point: 'Then the node itself', phrases: ['middle', 'parent'] },
        { id: 'right', point: 'Right subtree last', phrases: ['right'] },
      ],
      'What is the inorder traversal of a binary tree?',
    );
    expect(grade(inorder, 'left middle right').flags).toEqual([]);
  });

  it('GIVEN an answer pasted from another member THEN it is detected; two independent answers are not', () => {
    const original = 'Atomicity means a transaction happens completely or not at all; isolation keeps concurrent transactions from seeing each other; durability keeps committed data after a crash.';
    const pasted = `${original.replace('completely', 'fully')} Thanks!`;
    expect(copiedShare(shingles(pasted), shingles(original))).toBeGreaterThanOrEqual(COPY_THRESHOLD);
    const own = 'A transaction is all or nothing; parallel transactions do not interfere; and once the commit returns the data is safe even if the machine dies.';
    expect(copiedShare(shingles(own), shingles(original))).toBeLessThan(COPY_THRESHOLD);
  });
});

describe('closeness to a sample answer', () => {
  const CACHE = {
    ...q(
      [
        { id: 'what', point: 'Caches data read often', phrases: ['read often', 'frequently accessed'] },
        { id: 'expiry', point: 'Expires entries', phrases: ['ttl', 'time to live'] },
      ],
      'How would you design a cache?',
    ),
    sampleAnswers: [{ source: null, text: 'Keep frequently accessed rows in Redis close to the application, give every entry a TTL, and evict the least recently used rows when memory runs out.' }],
  };

  it('GIVEN wording the key points did not foresee but close to the sample answer THEN it earns its closeness, never full marks', () => {
    const text = 'Keep hot rows in Redis close to the application and evict the least recently used rows when memory runs out.';
    const g = grade(CACHE, text);
    expect(g.covered).toEqual([]);
    // (Closeness is scaled up a little: a short answer never shares all of a longer sample's words.)
    const near = closeness(CACHE, analyse(text));
    expect(g.quality).toBeGreaterThan(near);
    expect(g.quality).toBeLessThanOrEqual(near * 1.5);
    expect(g.quality).toBeGreaterThan(0.2);
    expect(g.quality).toBeLessThan(1);
  });

  it('GIVEN one denial among wording close to the sample THEN closeness counts for the other points only; GIVEN two THEN nothing', () => {
    const contrast = gradeDetailed(CACHE, 'Keep hot rows in Redis close to the application and evict the least recently used rows when memory runs out; rows never wait for a TTL.');
    expect(contrast.voided?.map((v) => v.id)).toEqual(['expiry']);
    // Close to the sample, but the TTL point is denied: at most the other required point's share.
    expect(contrast.quality).toBe(0.5);
    expect(grade(CACHE, 'Never keep hot rows in Redis close to the application; rows never wait for a TTL.').quality).toBe(0);
  });

  it('GIVEN the sample answer negated THEN closeness earns nothing', () => {
    const g = grade(CACHE, 'Never keep frequently accessed rows in Redis; never give an entry a TTL.');
    expect(g.quality).toBe(0);
  });

  it('GIVEN only the question’s own words negated THEN no point is denied and closeness still counts', () => {
    const CTOR = {
      ...q(
        [
          { id: 'none', point: 'Only when the class defines no constructor', phrases: ['if no constructor'] },
          { id: 'not-if', point: 'Not once one is written', phrases: ['your own constructor', 'write your own constructor'] },
        ],
        'When does C++ create a default constructor?',
      ),
      sampleAnswers: [{ source: null, text: 'If no constructor is provided, the compiler provides one by default.' }],
    };
    const g = gradeDetailed(CTOR, 'When the class does not explicitly include a constructor, the compiler provides one.');
    expect(g.voided).toEqual([]);
    expect(g.quality).toBeGreaterThan(0.3);
    // A denial in words of its own still denies.
    expect(gradeDetailed(CTOR, 'You never write your own constructor.').voided?.map((v) => v.id)).toEqual(['not-if']);
  });

  it('GIVEN the sample said in WordNet synonyms of its words THEN it is closer than in unrelated words, and less close than in the same words', () => {
    const LIMITS = {
      ...q([{ id: 'reject', point: 'Rejects excess traffic', phrases: ['rejects excess'] }], 'What should an API do when a client sends too many calls?'),
      sampleAnswers: [{ source: null, text: 'The server rejects the extra requests with a clear error, and the client waits before it tries again.' }],
    };
    const near = (text: string) => closeness(LIMITS, analyse(text));
    // declines ~ rejects, additional ~ extra (WordNet); "caller" and "holds off" share nothing with it.
    const synonyms = near('The gateway declines additional requests and the caller holds off before retrying.');
    expect(synonyms).toBeGreaterThan(near('The gateway paints purple requests and the caller sings loudly before retrying.') + 0.15);
    expect(synonyms).toBeLessThan(near('The gateway rejects extra requests and the client waits before retrying.'));
  });

  it('GIVEN the required points’ phrases said in another order THEN they are a reference too; GIVEN a bonus point’s THEN not', () => {
    const sample = { source: null, text: 'During a partition the system must choose between consistency and availability.' };
    const withPhrases = (phrases: string[], bonus = false) => ({
      ...q([{ id: 'choice', point: 'During a partition a system must choose', phrases, bonus }, { id: 'cp', point: 'CP systems refuse', phrases: ['cp'] }], 'What is the CAP theorem?'),
      sampleAnswers: [sample],
    });
    // (Not a phrase match: the words of "refuse or serve old data" and "stay correct or stay up" out of their order.)
    const answer = analyse('When the link is down the service has to pick: stay up and hand out old values, or refuse until it is correct again.');
    const editor = closeness(withPhrases(['refuse or serve old data', 'stay correct or stay up']), answer);
    expect(editor).toBeGreaterThan(closeness(withPhrases(['during a partition']), answer) + 0.2);
    expect(closeness(withPhrases(['refuse or serve old data', 'stay correct or stay up'], true), answer)).toBeLessThan(editor - 0.2);
  });

  it('GIVEN a question prepared before a reveal THEN its phrases and references are built a point and a reference at a time, once, and closeness is unchanged', async () => {
    const fresh = () => ({ ...CACHE, sampleAnswers: [...CACHE.sampleAnswers, { source: null, text: 'Cache what is read often and expire it.' }] });
    const answer = analyse('Keep hot rows in Redis close to the application and evict the least recently used rows when memory runs out.');
    const prepared = fresh();
    let pauses = 0;
    await prepareGrading(prepared, async () => void pauses++);
    // Its two points' phrases, a point at a time; then two samples, the points' statements,
    // statements and samples together, and the points' phrases as references.
    expect(pauses).toBe(7);
    await prepareGrading(prepared, async () => void pauses++);
    expect(pauses).toBe(7);
    expect(closeness(prepared, answer)).toBe(closeness(fresh(), answer));
  });

  it('GIVEN an answer on another subject THEN closeness earns nothing', () => {
    expect(grade(CACHE, 'Use a message queue so producers and consumers are decoupled and retries are possible.').quality).toBe(0);
  });

  it('GIVEN wording close to the required points’ statements THEN it is close; GIVEN a suggestion THEN its points are a reference only when written as sentences', () => {
    const LOCKS = {
      ...q(
        [
          { id: 'mutex', point: 'A mutex lets one thread at a time into the critical section', phrases: ['mutual exclusion'] },
          { id: 'deadlock', point: 'Taking locks in a fixed order prevents deadlock', phrases: ['lock ordering'] },
          { id: 'extra', point: 'Knows about read-write locks', phrases: ['rwlock'], bonus: true },
        ],
        'How do you keep shared state safe between threads?',
      ),
      sampleAnswers: [{ source: null, text: 'Guard it with synchronized blocks or java.util.concurrent primitives so updates never interleave.' }],
    };
    const text = 'Only one thread at a time may enter the critical section, and every thread takes its locks in the same fixed order.';
    expect(closeness(LOCKS, analyse(text))).toBeGreaterThan(0.5);
    expect(grade(LOCKS, text).quality).toBeGreaterThan(0.5);
    // (A suggestion's points written as sentences by the member who suggested it, and approved, say
    // its claims as an editor's do; a list of its terms would reward naming them; points drafted
    // from the sample add nothing to the sample.)
    const suggested = { ...LOCKS, author: { id: 'm1', name: 'Member' } };
    expect(closeness(suggested, analyse(text))).toBeGreaterThan(0.5);
    const terms = { ...suggested, keyPoints: LOCKS.keyPoints.map((k) => ({ ...k, point: k.phrases[0]! })) };
    expect(closeness(terms, analyse(text))).toBeLessThan(0.15);
    const drafted = { ...suggested, keyPoints: LOCKS.keyPoints.map((k) => ({ ...k, drafted: true })) };
    expect(closeness(drafted, analyse(text))).toBeLessThan(0.15);
  });

  it('GIVEN an answer that says part of the points and part of the sample THEN it is close to the two read together', () => {
    const LOCKS = {
      ...q(
        [
          { id: 'mutex', point: 'A mutex lets one thread at a time into the critical section', phrases: ['mutual exclusion'] },
          { id: 'deadlock', point: 'Taking locks in a fixed order prevents deadlock', phrases: ['lock ordering'] },
        ],
        'How do you keep shared state safe between threads?',
      ),
      sampleAnswers: [{ source: null, text: 'Guard it with synchronized blocks or java.util.concurrent primitives so updates never interleave.' }],
    };
    const text = 'One thread at a time enters the critical section, guarded with synchronized blocks so updates never interleave.';
    // (0.57 to the sample alone, 0.35 to the points alone.)
    expect(closeness(LOCKS, analyse(text))).toBeGreaterThan(0.6);
  });
});

describe('overclaiming', () => {
  const INDEX = q(
    [
      { id: 'lookup', point: 'An index speeds up lookups on the indexed columns', phrases: ['faster lookups', 'speeds up reads'] },
      { id: 'cost', point: 'Indexes cost disk space and slow down writes', phrases: ['slower writes', 'slows down writes'] },
      { id: 'selective', point: 'Index selective columns used in WHERE and JOIN', phrases: ['selective columns', 'where clause'] },
    ],
    'When should you add a database index?',
  );
  const dogmatic =
    'An index always gives faster lookups, so you should simply index every column of every table. The database automatically picks the right one for any query, so there is never a downside and nothing to measure. Indexes only help, whatever the workload, and more of them is just better.';
  const hedged =
    'An index usually gives faster lookups on the columns it covers, so I add one where a query filters or joins on a column that narrows the rows a lot. The planner decides whether to use it, so I check the plan with EXPLAIN. More indexes are not free, and on write-heavy tables I keep only the ones queries need.';

  it('GIVEN an answer dense with absolutes THEN it keeps less of what it covers and is told why; GIVEN the same points hedged THEN nothing is taken off', () => {
    const d = grade(INDEX, dogmatic);
    expect(d.covered.map((k) => k.id)).toEqual(['lookup']);
    // (A third by coverage; 11 absolutes in 53 words, far above 4 per 100: the floor, 0.3 of it.)
    expect(d.flags).toEqual(['overclaims']);
    expect(d.quality).toBeCloseTo(0.3 / 3, 2);
    const h = grade(INDEX, hedged);
    expect(h.covered.map((k) => k.id)).toContain('lookup');
    expect(h.flags).toEqual([]);
  });

  it('GIVEN absolutes the key points use, a hedge, or every required point stated THEN they are not overclaiming', () => {
    const ACID_ALL = q(
      [
        { id: 'atomicity', point: 'Atomicity: all or nothing', phrases: ['all or nothing'] },
        { id: 'durability', point: 'Durability: committed data survives crashes', phrases: ['survives a crash'] },
      ],
      'What does ACID mean?',
    );
    // ("all or nothing" is the point itself, said three ways; "not always" is a hedge.)
    const own = 'Atomicity is all or nothing: the transfer happens all or nothing, and a batch import is all or nothing too, it is not always obvious in code but the database makes it so for each transaction you open there.';
    expect(grade(ACID_ALL, own).flags).not.toContain('overclaims');
    // (Every required point stated: its absolutes are its claims.)
    const full = `${dogmatic} Indexes also mean slower writes, and I index selective columns.`;
    expect(grade(INDEX, full).quality).toBe(1);
  });
});

describe('an answer to another question', () => {
  const POOL = {
    ...q(
      [
        { id: 'document', point: 'MongoDB stores flexible JSON-like documents on disk and queries them by any field', phrases: ['document store', 'json documents', 'flexible schema'] },
        { id: 'memory', point: 'Redis keeps its whole dataset in RAM as key-value structures and answers in microseconds', phrases: ['in memory', 'key value store', 'sub millisecond'] },
        { id: 'persistence', point: 'Redis persistence (snapshots, an append-only file) is optional and secondary', phrases: ['snapshot', 'append only file', 'optional persistence'] },
      ],
      'When would you pick MongoDB over Redis?',
    ),
    sampleAnswers: [{ source: null, text: 'MongoDB is a document store for records you query in many ways and keep on disk; Redis holds small, hot values in memory, such as sessions, counters and cached results, and answers in microseconds.' }],
  };
  // On the subject of connection pools; it brushes one phrase ("in memory") on the way.
  const pool =
    'A connection pool hands each request an already open connection instead of dialling a new one, which saves the handshake and protects the server from a storm of logins. Size it from the connection limit divided by your app instances, make the pool one object in memory that stays for as long as the process runs, and always release what you borrow in a finally block.';

  it('GIVEN a long answer on another subject that brushes a phrase THEN the phrase earns nothing and the answer says why', () => {
    expect(analyse(pool).length).toBeGreaterThanOrEqual(25);
    // (Chance overlap: a shared word or two, below 0.15.)
    expect(closeness(POOL, analyse(pool))).toBeLessThan(0.12);
    const g = grade(POOL, pool);
    expect(g.covered.map((k) => k.id)).toEqual(['memory']);
    // (A third of the required points by coverage; at most a fifth of that kept at 0.12.)
    expect(g.quality).toBeLessThan(0.07);
    expect(g.flags).toEqual(['off-topic']);
  });

  it('GIVEN an answer on the subject, or a short one, or a story question THEN nothing is taken off', () => {
    const onTopic = 'Pick MongoDB for records you query in many ways and must keep on disk, orders and profiles; Redis keeps its data in memory, so it suits hot values like sessions and counters that must answer in microseconds.';
    expect(grade(POOL, onTopic).flags).toEqual([]);
    expect(grade(POOL, onTopic).quality).toBeGreaterThan(0.5);
    // (Too short to tell what it is about: scored on what it covers.)
    expect(grade(POOL, 'Hold the pool in memory for the life of the process.').quality).toBeGreaterThan(0);
    // (A story of one's own shares few words with anyone else's.)
    const story = { ...POOL, kind: 'behavioural' as const };
    expect(grade(story, pool).quality).toBeGreaterThan(0);
    expect(grade(story, pool).flags).toEqual([]);
  });
});

describe('right words in a wrong answer', () => {
  it('GIVEN a key term only as the subject of a wrong definition THEN the definition must earn the point', () => {
    const wrong = grade(ACID, 'Isolation means every transaction runs on its own database server, and durability means data stays in memory.');
    expect(wrong.covered.map((k) => k.id)).toEqual([]);
    // The same term defined rightly earns it through the definition's words.
    expect(grade(ACID, 'Isolation means concurrent transactions are kept apart.').covered.map((k) => k.id)).toEqual(['isolation']);
    // Named in a sentence that is not its definition, the term still counts.
    expect(grade(ACID, 'We relied on isolation to keep the two payments apart.').covered.map((k) => k.id)).toEqual(['isolation']);
  });

  it('GIVEN a key term as the subject of what it is only or mainly for THEN that role must earn the point', () => {
    for (const wrong of ['Isolation is mainly there to make queries faster.', 'Durability is only needed for backups.', 'Isolation is done by the application, not the database.']) {
      expect(grade(ACID, wrong).covered.map((k) => k.id)).toEqual([]);
    }
    // (A role that is the point earns it.)
    expect(grade(ACID, 'Isolation is mainly there so concurrent transactions do not step on each other.').covered.map((k) => k.id)).toEqual(['isolation']);
  });

  it('GIVEN a misconception THEN it costs the point it contradicts and twice as much again', () => {
    const right = 'Atomicity means all or nothing; isolation keeps concurrent transactions apart; durability: committed data survives a crash.';
    expect(grade(ACID, right).quality).toBe(1);
    const withWrongClaim = grade(ACID, `${right} Partial progress is kept after a failure.`);
    expect(withWrongClaim.covered.map((k) => k.id)).toEqual(['isolation', 'durability']);
    // (2 of 3 required points, less 2 × 1/3 for the wrong claim.)
    expect(withWrongClaim.quality).toBeCloseTo(0);
    const five = q([
      ...ACID.keyPoints.filter((k) => !k.bonus),
      { id: 'consistency', point: 'Consistency: valid state to valid state', phrases: ['valid state'] },
      { id: 'wal', point: 'A write-ahead log makes commits durable', phrases: ['write ahead log'] },
    ]);
    const longer = grade(five, `${right} Consistency moves the database from one valid state to another, and a write-ahead log makes commits durable. Partial progress is kept after a failure.`);
    expect(longer.covered).toHaveLength(4);
    expect(longer.quality).toBeCloseTo(4 / 5 - 2 / 5);
  });

  it('GIVEN "instead of X" or "rather than X" THEN X is not claimed', () => {
    const ci = q([{ id: 'merge', point: 'Merge often', phrases: ['merge daily', 'merge often'], counter: ['long lived feature branches'] }]);
    expect(grade(ci, 'Developers merge daily instead of keeping long-lived feature branches.').quality).toBe(1);
    expect(grade(ci, 'Developers merge daily rather than keeping long-lived feature branches.').quality).toBe(1);
    expect(grade(ci, 'Developers keep long-lived feature branches and merge daily at the end.').quality).toBe(0);
  });

  it('GIVEN "non-clustered" THEN it is not "clustered"; GIVEN "and don\'t" THEN the negation holds', () => {
    const idx = q([{ id: 'c', point: 'Clustered index orders the rows', phrases: ['clustered index orders the rows'], counter: ['clustered index is a separate structure'] }]);
    expect(gradeDetailed(idx, 'A non-clustered index is a separate structure that points to the rows.').voided).toEqual([]);
    expect(gradeDetailed(idx, 'A clustered index is a separate structure that points to the rows.').voided?.map((v) => v.id)).toEqual(['c']);
    const st = q([{ id: 's', point: 'Stateless', phrases: ['any instance'], counter: ['rely on sticky sessions'] }]);
    expect(grade(st, 'Any instance serves any request, and don’t rely on sticky sessions.').quality).toBe(1);
  });
});

describe('a suggestion’s points said in other words', () => {
  // A member's points come with phrases drafted from their own words only; curated points list
  // the ways a correct answer says them.
  const MQ: Question = {
    ...q(
      [
        { id: 'offload', point: 'Slow work moves off the request path to background workers', phrases: ['slow work moves'] },
        { id: 'bursts', point: 'The queue absorbs bursts of traffic', phrases: ['absorbs bursts'] },
        { id: 'retry', point: 'Failed jobs are retried later', phrases: ['failed jobs are retried'] },
      ],
      'How does a message queue help a web application?',
    ),
    sampleAnswers: [{ source: null, text: 'A queue sits between the web app and its workers.' }],
  };
  const SUGGESTED: Question = { ...MQ, author: { id: 'm1', name: 'Member' } };

  it('GIVEN two words of a point’s statement in one clause THEN a suggestion’s point is covered, with them as evidence', () => {
    const text = 'Heavy jobs are handed to background workers, so the request returns quickly. When traffic bursts, messages simply pile up until a worker is free.';
    const g = gradeDetailed(SUGGESTED, text);
    expect(g.covered.map((k) => k.id)).toEqual(['offload', 'bursts']);
    expect(g.evidence?.offload).toBe('Heavy jobs are handed to background workers');
    // (A curated question's points are matched by their phrases only.)
    expect(gradeDetailed(MQ, text).covered).toEqual([]);
  });

  it('GIVEN WordNet synonyms of the statement’s words THEN they say it too', () => {
    expect(grade(SUGGESTED, 'Each broken task is attempted again afterwards.').covered.map((k) => k.id)).toEqual(['retry']);
  });

  it('GIVEN the words denied, or one word alone, or the words in different clauses THEN the point is not covered', () => {
    const denied = gradeDetailed(SUGGESTED, 'Background workers never take the heavy jobs.');
    expect(denied.covered).toEqual([]);
    expect(denied.voided?.map((v) => v.id)).toEqual(['offload']);
    expect(grade(SUGGESTED, 'Workers are nice to have in general, I think.').covered).toEqual([]);
    expect(grade(SUGGESTED, 'There is traffic. Then come the bursts.').covered).toEqual([]);
  });

  it('GIVEN a point that is itself a denial THEN an answer that denies it too agrees, and one that affirms it denies it', () => {
    const NO_GUEST: Question = {
      ...SUGGESTED,
      keyPoints: [
        { id: 'no-guest', point: 'A container does not boot its own guest operating system', phrases: ['own guest kernel image'] },
        { id: 'layers', point: 'Images are built from layers', phrases: ['image layers'] },
      ],
    };
    expect(grade(NO_GUEST, 'Each container runs without a guest operating system of its own.').covered.map((k) => k.id)).toEqual(['no-guest']);
    const wrong = gradeDetailed(NO_GUEST, 'Every container boots a full guest operating system.');
    expect(wrong.covered).toEqual([]);
    expect(wrong.voided?.map((v) => v.id)).toEqual(['no-guest']);
  });

  it('GIVEN a statement’s verbs of saying and light verbs THEN they are not words of what it says', () => {
    const NAMES: Question = { ...SUGGESTED, keyPoints: [{ id: 'tools', point: 'Names real brokers such as RabbitMQ and uses them', phrases: ['real brokers such as'] }] };
    expect(grade(NAMES, 'Their names are real, I use them daily.').covered).toEqual([]);
    expect(grade(NAMES, 'We ran RabbitMQ as the broker.').covered.map((k) => k.id)).toEqual(['tools']);
  });
});

describe('an answer about another question of the bank', () => {
  const mk = (id: string, title: string, prompt: string, points: KeyPoint[], sample: string): Question => ({ ...makeQuestion(id, ['t'], []), title, prompt, keyPoints: points, sampleAnswers: [{ source: null, text: sample }] });
  const cache = (id = 'caching'): Question =>
    mk(
      id,
      'Caching a slow service',
      'How would you add a cache in front of a slow service?',
      [
        { id: 'where', point: 'Keep hot results in an in-memory store such as Redis next to the app', phrases: ['in memory', 'redis', 'cache aside'] },
        { id: 'expiry', point: 'Give entries a time to live and invalidate them when the data changes', phrases: ['time to live', 'ttl', 'invalidate'] },
        { id: 'hit-rate', point: 'Measure the hit rate to see whether the cache pays for itself', phrases: ['hit rate', 'hit ratio'] },
      ],
      'Put a cache-aside layer in front of the slow service: the app reads Redis first, and on a miss it calls the service and stores the result with a time to live. When the underlying data changes, invalidate the entry so users never see stale values for long. Keep only hot, expensive results, and watch the hit rate: a cache that rarely hits only adds a network hop and memory to pay for.',
    );
  const POOL_SAMPLE =
    'A connection pool keeps a set of open database connections and lends one to each request, so no request pays for the TCP and login handshake, and the database is protected from a storm of new connections. Size the pool from the database connection limit divided by the number of app instances, set an acquire timeout so requests fail fast when it is exhausted, and always release a borrowed connection in a finally block, or the pool leaks until every request waits.';
  const pool = (title: string): Question =>
    mk(
      'connection-pools',
      title,
      'What is a database connection pool and how do you size it?',
      [
        { id: 'reuse', point: 'A pool lends already open connections to requests instead of opening new ones', phrases: ['open connections', 'reuse connections'] },
        { id: 'size', point: 'Size it from the database connection limit divided by the app instances', phrases: ['connection limit', 'pool size'] },
        { id: 'release', point: 'Always return a borrowed connection, or the pool leaks and requests wait', phrases: ['release', 'leak'] },
      ],
      POOL_SAMPLE,
    );
  // On connection pools, to the caching question: it shares the service's words with the cache's
  // sample ("slow service", "in memory", "fail fast") and far more with the pool's.
  const answer =
    'The slow service was slow because every request opened a new connection to its database. We put a pool in front of it: each request borrows one of the open connections and releases it in a finally block, so nothing leaks. The pool itself is one object kept in memory for the life of the app, its size follows the connection limit divided by our instances, and an acquire timeout makes requests fail fast instead of waiting. Latency dropped.';

  it('GIVEN an answer far closer to another question of its bank THEN it earns nothing here, flagged off-topic', () => {
    const alone = cache();
    // (Not chance overlap: as close to the cache's sample as many answers in other words are.)
    expect(closeness(alone, analyse(answer))).toBeGreaterThan(0.15);
    expect(grade(alone, answer).quality).toBeGreaterThan(0.3);
    expect(grade(alone, answer).flags).toEqual([]);
    const banked = cache();
    registerPeers([banked, pool('Database connection pools')]);
    const { here, elsewhere } = peerCloseness(banked, analyse(answer));
    expect(elsewhere).toBeGreaterThan(4 * here);
    expect(grade(banked, answer).quality).toBe(0);
    expect(grade(banked, answer).flags).toEqual(['off-topic']);
  });

  it('GIVEN a question on the same subject, a short answer, or an answer as close as correct ones are THEN nothing is taken off', () => {
    // (A question whose title holds the other's whole subject: an answer to one answers much of the other.)
    const sibling = cache();
    registerPeers([sibling, pool('Caching a slow service with a pool')]);
    expect(grade(sibling, answer).flags).toEqual([]);
    const banked = cache();
    registerPeers([banked, pool('Database connection pools')]);
    // (Fewer than 40 words: too few to tell which of two questions it answers.)
    const short = 'Each request borrows one of the open connections from the pool and releases it in a finally block, so nothing leaks; the pool is kept in memory for the life of the app.';
    expect(analyse(short).length).toBeLessThan(40);
    const near = peerCloseness(banked, analyse(short));
    expect(near.elsewhere).toBeGreaterThan(4 * near.here);
    expect(grade(banked, short).flags).toEqual([]);
    // (The cache's own sample is about the cache, however many words it shares elsewhere.)
    expect(grade(banked, banked.sampleAnswers[0]!.text).quality).toBe(1);
  });

  it('GIVEN a bank and a member’s suggestion THEN a question keeps its first bank, and a suggestion has none', () => {
    const shipped = cache();
    const other = pool('Database connection pools');
    registerPeers([shipped, other]);
    // (A server's bank adds its own questions to the shipped ones; theirs stay as they were.)
    const own = pool('Pools of database connections');
    registerPeers([shipped, other, own]);
    expect(peersOf(shipped)?.questions).toEqual([shipped, other]);
    expect(peersOf(own)?.questions).toEqual([shipped, other, own]);
    const suggested = { ...cache('suggested'), author: { id: 'u1', name: 'Ann' } };
    registerPeers([shipped, suggested]);
    expect(peersOf(suggested)).toBeUndefined();
    expect(peerCloseness(suggested, analyse(answer))).toEqual({ here: 0, elsewhere: 0 });
  });

  it('GIVEN a reveal about to grade THEN the bank’s other questions are read first, a question per slice', async () => {
    const revealed = cache();
    const queues = mk('queues', 'Message queues', 'Why put a queue between services?', [{ id: 'decouple', point: 'A producer hands work to a broker and a consumer takes it later', phrases: ['broker', 'consumer'] }], 'A producer publishes a message to a broker such as RabbitMQ and returns at once; consumers take messages at their own pace, acknowledge them when done, and a dead-letter queue keeps the ones that keep failing.');
    const limits = mk('rate-limits', 'Rate limiting', 'How would you rate-limit an API?', [{ id: 'bucket', point: 'A token bucket per client refills at a fixed rate', phrases: ['token bucket', 'sliding window'] }], 'Give each client a token bucket that refills at a fixed rate; a request spends a token, and when the bucket is empty the API answers 429 Too Many Requests with a Retry-After header.');
    const others = [pool('Database connection pools'), queues, limits];
    registerPeers([revealed, ...others]);
    let slices = 0;
    await prepareGrading(revealed, async () => void slices++);
    // (Its three points and its references, then each other question's references.)
    expect(slices).toBeGreaterThanOrEqual(3 + 1 + others.length);
    expect(peersOf(revealed)?.index).toBeDefined();
    expect(grade(revealed, answer).flags).toEqual(['off-topic']);
  });

  it('GIVEN a question graded before its bank’s index was built THEN a reveal still reads the bank first', async () => {
    // (Graded alone first — `/quiz cap`, or start-up's warm-up — then put in a bank.)
    const revealed = cache();
    grade(revealed, 'A cache keeps hot results in memory.');
    registerPeers([revealed, pool('Database connection pools')]);
    expect(peersOf(revealed)?.index).toBeUndefined();
    let slices = 0;
    await prepareGrading(revealed, async () => void slices++);
    expect(slices).toBeGreaterThanOrEqual(1);
    expect(peersOf(revealed)?.index).toBeDefined();
  });
});
