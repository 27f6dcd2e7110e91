/**
 * Grading on the shipped bank with real-sounding answers for ten questions: a genuine answer
 * beats a partial one; a bare list of key terms or the question pasted back scores below a
 * genuine answer of similar coverage; empty and one-word replies get nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { QuestionBank } from '../../src/content/bank.js';
import { grade } from '../../src/content/grading.js';
import { loadBank } from '../../src/content/loader.js';
import { pointsFor } from '../../src/core/rounds/scoring.js';
import { expectClaimsStand } from './expect-grade.js';

let bank: QuestionBank;
beforeAll(async () => {
  bank = await loadBank();
});

interface Case {
  id: string;
  good: string;
  partial: string;
  salad: string;
}

const CASES: Case[] = [
  {
    id: 'cap-theorem',
    good: 'CAP says a distributed data store cannot give consistency, availability and partition tolerance all at once. Since network partitions happen anyway, during a partition you choose: a CP system like ZooKeeper rejects requests, an AP system like Cassandra serves possibly stale data. PACELC adds the latency trade-off when there is no partition.',
    partial: 'It says you cannot have consistency and availability at the same time in a distributed database.',
    salad: 'consistency availability partition tolerance network partition cp ap zookeeper cassandra pacelc latency',
  },
  {
    id: 'acid',
    good: 'ACID is what a transaction guarantees: atomicity means all or nothing, a failed step rolls back the whole transaction; consistency means it moves the database from one valid state to another respecting constraints; isolation means concurrent transactions do not see each other half-done, depending on the isolation level; durability means once committed it survives a crash thanks to the write-ahead log.',
    partial: 'Atomicity is all or nothing, so if something fails the transaction is rolled back.',
    salad: 'atomicity consistency isolation durability rollback commit crash isolation level',
  },
  {
    id: 'oauth',
    good: 'OAuth 2 is delegated authorization: the user lets a client app access their data on a resource server without giving it their password. The authorization server asks for consent and issues a short-lived access token limited by scopes, plus a refresh token. Web apps use the authorization code flow with PKCE; server-to-server uses client credentials.',
    partial: 'OAuth lets an app get an access token so it can call an API for the user.',
    salad: 'oauth authorization access token refresh token scopes consent pkce client credentials resource server',
  },
  {
    id: 'reverse-proxy',
    good: 'A reverse proxy such as nginx sits in front of the application servers and forwards client requests to them, so clients only see one endpoint. It balances load across the backends with health checks, terminates TLS, caches and compresses responses, and hides the servers behind it, adding rate limiting. Unlike a forward proxy it acts for the servers, not the clients.',
    partial: 'It is a server in front of your app servers that does load balancing.',
    salad: 'reverse proxy nginx load balancing tls termination caching compression rate limiting forward proxy',
  },
  {
    id: 'caching',
    good: 'I cache data that is read often and expensive to compute, in Redis or Memcached in front of the database. Usually cache-aside: read the cache, on a miss load from the database and store it with a TTL. Invalidation is the hard part, so I expire keys and evict with LRU, and I protect against a cache stampede while watching the hit rate.',
    partial: 'Put frequently accessed data in Redis so the database gets fewer queries.',
    salad: 'redis memcached cache aside ttl lru eviction invalidation stampede hit rate',
  },
  {
    id: 'rest-vs-graphql',
    good: 'REST exposes resources at separate endpoints with HTTP methods and fixed response shapes, which makes HTTP caching easy. GraphQL is a typed query language on a single endpoint where the client asks for exactly the fields it needs, avoiding over-fetching and extra round trips. I choose REST for simple resource APIs and caching, GraphQL when clients have diverse data needs.',
    partial: 'GraphQL lets the client ask for exactly the data it needs from one endpoint.',
    salad: 'rest graphql endpoint http methods query language over fetching under fetching caching versioning schema',
  },
  {
    id: 'sql-injection',
    good: 'Injection happens when untrusted user input is concatenated into a query, so an attacker can change the SQL that runs. The fix is parameterized queries or prepared statements, never string building. On top of that I validate input with allow lists and give the database account least privilege; an ORM or stored procedures without dynamic SQL help too.',
    partial: 'Use prepared statements so user input cannot change the query.',
    salad: 'sql injection untrusted input prepared statements parameterized queries validation least privilege orm',
  },
  {
    id: 'message-queues',
    good: 'A queue decouples producers from consumers, so slow work such as emails or payments runs asynchronously in the background instead of blocking the request. I have used RabbitMQ and SQS; Kafka for event streams. It absorbs traffic spikes, and consumers scale independently. For reliability I rely on acknowledgements, retries with a dead letter queue, and idempotent consumers, and I monitor queue depth.',
    partial: 'We used RabbitMQ to send emails in the background so requests were faster.',
    salad: 'rabbitmq kafka sqs asynchronous decouple spike acknowledgement retry dead letter idempotent queue depth',
  },
  {
    id: 'base-properties',
    good: 'BASE stands for basically available, soft state and eventual consistency. The system keeps answering even when parts fail, the state may change over time while replicas catch up, and they converge once writes stop. It is the trade many NoSQL stores make against ACID: availability and scale instead of strong consistency.',
    partial: 'It is basically available and eventually consistent, like many NoSQL databases.',
    salad: 'basically available soft state eventual consistency acid trade off strong consistency',
  },
  {
    id: 'api-versioning',
    good: 'I only create a new version for breaking changes; additive changes stay backward compatible. The version goes in the URI path like /v1, or in a header or media type. Old versions get a published deprecation policy with a sunset date, and every version is documented with a changelog and an OpenAPI spec.',
    partial: 'We put the version in the URL path, like /api/v1/users.',
    salad: 'uri versioning header media type v1 breaking changes backward compatible deprecation sunset changelog openapi',
  },
];

describe('grading real-sounding answers on the shipped bank', () => {
  it('GIVEN ten questions THEN good > partial > 0, salad and pasted question < good, empty and one word = 0', () => {
    for (const c of CASES) {
      const q = bank.get(c.id);
      expect(q, c.id).toBeDefined();
      const g = grade(q!, c.good);
      const p = grade(q!, c.partial);
      const s = grade(q!, c.salad);
      const echo = grade(q!, q!.prompt);
      const pts = (x: ReturnType<typeof grade>) => pointsFor(x).total;
      const row = { id: c.id, good: g.coverage, partial: p.coverage, salad: s.coverage, saladFlags: s.flags, echoFlags: echo.flags };
      expect(row, JSON.stringify(row)).toMatchObject({ saladFlags: ['keyword-salad'], echoFlags: ['echo'] });
      expect(g.coverage, JSON.stringify(row)).toBeGreaterThanOrEqual(0.75);
      // A partial answer may still cover every required point (full quality by design): then the
      // good one differs by the bonus points it covers, which coverage shows.
      expect(pts(g), JSON.stringify(row)).toBeGreaterThanOrEqual(pts(p));
      expect(g.coverage, JSON.stringify(row)).toBeGreaterThan(p.coverage);
      expect(pts(p), JSON.stringify(row)).toBeGreaterThan(0);
      // (A salad names the points, though a term next to the other subject of a comparison is
      // that subject's, not the point: named counts either way.)
      const named = (s.covered.length + (s.voided ?? []).filter((v) => /said of/.test(v.why)).length) / q!.keyPoints.length;
      expect(named, JSON.stringify(row)).toBeGreaterThanOrEqual(g.coverage - 0.5); // similar coverage…
      expect(pts(s), JSON.stringify(row)).toBeLessThan(pts(g) / 2); // …far fewer points
      expect(pts(echo)).toBe(0);
      expect(pts(grade(q!, ''))).toBe(0);
      expect(pts(grade(q!, 'consistency'))).toBe(0);
    }
  });
});

describe('wrong claims', () => {
  it('GIVEN a listed misconception named in order to refute it, or asked THEN it is no wrong claim; stated as fact it costs two required points', () => {
    const cap = bank.get('cap-theorem')!;
    const refuting = [
      "CAP is about consistency, availability and partition tolerance. It's a myth that you can pick any two of the three: partitions happen, so during a partition a system chooses consistency or availability. CP systems like ZooKeeper refuse requests, AP systems like Cassandra answer with possibly stale data.",
      'CAP is about consistency, availability and partition tolerance. People often say you pick any two of the three, but partitions happen anyway, so during a partition a system chooses consistency or availability. CP systems like ZooKeeper refuse requests, AP systems like Cassandra answer with possibly stale data.',
      'CAP is about consistency, availability and partition tolerance. So can you just pick any two of the three? No: partitions happen anyway, so during a partition a system chooses consistency or availability. CP systems like ZooKeeper refuse requests, AP systems like Cassandra answer with possibly stale data.',
      "CAP is about consistency, availability and partition tolerance. It's tempting to think you can pick any two of the three, yet partitions happen anyway, so during a partition a system chooses consistency or availability. CP systems like ZooKeeper refuse requests, AP systems like Cassandra answer with possibly stale data.",
    ];
    for (const text of refuting) expectClaimsStand(cap, text, 0.85);
    const stated = grade(cap, 'CAP is about consistency, availability and partition tolerance. You pick any two of the three. CP systems like ZooKeeper refuse requests, AP systems like Cassandra answer with possibly stale data.');
    expect(stated.voided?.length).toBeGreaterThan(0);
    expect(stated.quality).toBeLessThanOrEqual(0.25);
  });

  it('GIVEN a contrast that names the other side between a misconception’s words (“Redis is fast while MongoDB is a document database”) THEN it is no wrong claim; said of one side it is', () => {
    const q = bank.get('mongodb-vs-redis')!;
    expectClaimsStand(q, 'Redis is fast while MongoDB is a document database that stores JSON-like documents on disk. Redis keeps everything in memory as key-value pairs, so I use it as a cache in front of MongoDB.', 0.85);
    const wrong = grade(q, 'Redis is a document database that stores JSON-like documents on disk, and MongoDB keeps everything in memory as key-value pairs.');
    expect(wrong.voided?.map((v) => v.id)).toContain('redis');
  });

  it('GIVEN “unchecked exceptions: catching is optional” THEN no counter reads it as “must be caught” (a counter loses “must”)', () => {
    expectClaimsStand(bank.get('java-exception-handling')!, 'Checked exceptions must be declared or caught, the compiler enforces it. Unchecked exceptions: catching is optional, they extend RuntimeException.', 0.85);
  });

  it('GIVEN a misconception set aside by a contrast (“unlike a local transaction, which is just …”) THEN it is no wrong claim', () => {
    expectClaimsStand(bank.get('distributed-transactions')!, 'A distributed transaction spans several services or databases, unlike a local transaction, which is just a normal database transaction. Two-phase commit makes every participant vote then commit, but it blocks if the coordinator dies, so across microservices I use a saga: each step commits locally and publishes an event, and a failure runs compensating actions. The outbox pattern makes the event publishing reliable, and every handler is idempotent.', 0.85);
  });

  it('GIVEN the other side set against the claim with a relative clause after its noun (“Compared to a LinkedList object, which …”) THEN the relative clause is said of it', () => {
    expectClaimsStand(bank.get('java-arraylist-vs-linkedlist')!, 'Compared to a LinkedList object, which is a chain of nodes linked to each other, an ArrayList is a resizable array in contiguous memory, so get by index is O(1) while inserting in the middle shifts elements. In practice ArrayList is usually faster.', 0.85);
  });

  it('GIVEN the short forms the points use (“sync”, “async”) with the sides swapped THEN the claims are said of the wrong side', () => {
    const q = bank.get('sync-vs-async')!;
    const swapped = grade(q, "sync = sequential, blocking. async = non-blocking, callbacks and the event loop. sync is what you want for network requests and db queries, you wait for the response anyway, and async is the right call for CPU-heavy number crunching because it runs in the background.");
    expect(swapped.covered.map((k) => k.id)).not.toContain('io-bound');
    expect(swapped.voided?.find((v) => v.id === 'io-bound')?.why).toMatch(/said of synchronous/);
    expect(swapped.quality).toBeLessThanOrEqual(0.5);
    expectClaimsStand(q, 'sync = sequential, blocking: each step waits for the one before. async = non-blocking, callbacks, promises and the event loop. async is what you want for network requests and db queries, where you would sit waiting, and sync fits CPU-heavy number crunching and steps that depend on each other.', 0.85);
  });

  it('GIVEN the initials the question’s text uses for a side (“VMs”) with the sides swapped THEN the claim is said of that side', () => {
    const q = bank.get('containerization')!;
    const swapped = grade(q, 'Containerization packages an app with its dependencies into an image that runs the same on any host. The difference from virtual machines: each VM shares the host operating system kernel, while containers boot a full guest OS on a hypervisor.');
    expect(swapped.voided?.find((v) => v.id === 'os-level')?.why).toMatch(/said of virtual/);
    expectClaimsStand(q, 'Containerization packages an app with its dependencies into an image that runs the same on any host. The difference from virtual machines: containers share the host operating system kernel, while each VM boots a full guest OS on a hypervisor, so VMs are heavier and slower to start.', 0.85);
  });

  it('GIVEN a sentence naming no side but the point’s own term (“Soft state = …”) after one about the other side THEN it is about that term', () => {
    const g = grade(bank.get('base-properties')!, "It's the laid-back cousin of ACID. 'Basically available' = the shop never shuts, even if a couple of branches burned down; you might get yesterday's price list, but you get an answer. 'Soft state' = what's on the shelves can shift by itself while the branches are still phoning each other the updates. 'Eventual consistency' = give it a moment after people stop changing prices and every branch ends up with the same list.");
    expect(g.voided ?? []).toEqual([]);
    expect(g.covered.map((k) => k.id)).toEqual(expect.arrayContaining(['soft-state', 'eventual-consistency']));
  });

  it('GIVEN the other side’s cost a comparison point names (“LinkedList also uses more memory per element”) said of that side THEN it is the contrast, not a swapped claim', () => {
    expectClaimsStand(bank.get('java-arraylist-vs-linkedlist')!, 'ArrayList is a resizable array in contiguous memory, so get by index is O(1). LinkedList is a doubly linked list of nodes, so inserting at a known node is O(1) but access by index is O(n). LinkedList also uses more memory per element because of the node objects.', 0.85);
  });

  // Structured salads: the terms after labels that are no term of the question (speakers, fields)
  // are named, not said of the label; a glossary that glosses each term with itself states nothing.
  it.each([
    ['terms listed after speakers (“Maria: Redis, Memcached, the CDN.”)', 'caching', 'Panel notes - caching\nMaria: Redis, Memcached, the CDN.\nTom: TTL, LRU, eviction policies.\nPriya: invalidation, stale data, cache stampede.\nMaria: frequently accessed data, expensive queries, cache-aside and write-through.'],
    ['a chat log whose speakers each name a few terms (“raj: rabbitmq, kafka”)', 'message-queues', '[09:14] ana: message queues again?\n[09:14] raj: rabbitmq, kafka\n[09:15] raj: dead-letter queue, retries\n[09:15] ana: producers, consumers\n[09:16] raj: traffic spikes, backlog\n[09:16] ana: ok thanks'],
    ['a glossary that glosses each term with itself again (“Producer: the producer of messages.”)', 'message-queues', 'Glossary\nMessage queue: a queue of messages.\nProducer: the producer of messages.\nConsumer: the consumer of the queue.\nBroker: the message broker.\nDead-letter queue: the dead-letter queue of the broker.\nRetry: a retry of a message.\nKafka: see broker.'],
    ['a list of terms framed by sentences that name none of them (“MARKING SCHEME … one mark per term”)', 'java-hashmap', 'MARKING SCHEME, Java collections unit, week three, question four\n- hashCode\n- buckets\n- collisions, linked list, red-black tree\n- load factor, resize\n- null key\nMarkers: award one mark per term the student writes down, ten marks at most, and round halves up.'],
  ])('GIVEN %s THEN it is a salad', (_what, id, text) => {
    const g = grade(bank.get(id)!, text);
    expect(g.flags).toContain('keyword-salad');
    expect(g.quality).toBeLessThanOrEqual(0.1);
  });

  it('GIVEN the terms as subjects of verbs foreign to the bank (“the CDN sings of invalidation”) THEN they are named: a salad; the same terms with the field’s verbs are an answer', () => {
    const q = bank.get('caching')!;
    const sung = grade(q, 'Under the harvest moon Redis sleeps, the TTL dances with LRU, the CDN sings of invalidation, cache-aside dreams of a better hit rate, and eviction wanders home.');
    expect(sung.flags).toContain('keyword-salad');
    expect(sung.quality).toBeLessThanOrEqual(0.25);
    expectClaimsStand(q, 'Redis keeps hot data in memory; a TTL expires entries and LRU evicts the least recently used; the CDN caches static files near users; cache-aside reads the cache first and fills it on a miss, and invalidation removes an entry when the record changes.', 0.85);
  });

  it('GIVEN notes or a table that state the points, after a sentence that names none of them THEN it is an answer, not a salad', () => {
    const notes = grade(bank.get('java-hashmap')!, "Here is how I'd explain it in an interview, roughly from memory.\nhashCode picks the bucket; equals finds the key inside it.\nCollisions chain in a linked list, which becomes a red-black tree past eight entries.\nWhen the load factor passes 0.75 the table doubles and rehashes.\nOne null key is allowed, and it is not thread-safe.");
    expect(notes.flags).toEqual([]);
    expect(notes.quality).toBeGreaterThanOrEqual(0.85);
    const table = grade(bank.get('java-arraylist-vs-linkedlist')!, 'From my notes for the team wiki, kept short on purpose:\n| | ArrayList | LinkedList |\n|---|---|---|\n| storage | resizable array | doubly linked nodes |\n| get(i) | O(1) | O(n) |\n| insert at a known node | O(n) shift | O(1) |\n| memory per element | low | node objects |');
    expect(table.flags).toEqual([]);
  });

  it('GIVEN most of a phrase (“a slow call”) in a sentence about the other side THEN it is no swapped claim', () => {
    const g = grade(bank.get('sync-vs-async')!, 'Synchronous means each line waits for the previous one to finish, so a slow call blocks everything after it. Asynchronous means you start a task and carry on with other work, and the result comes back later through a callback or a promise.');
    expect(g.voided ?? []).toEqual([]);
    expect(g.quality).toBeGreaterThanOrEqual(0.5);
  });

  it('GIVEN the terms enumerated (“ACID stands for …”) and their claims denied after THEN the denials win', () => {
    const acid = bank.get('acid')!;
    const denied = grade(acid, "ACID stands for atomicity, consistency, isolation and durability. Consistency doesn't require moving between valid states, so constraints may be broken. Concurrent transactions aren't isolated and can see each other's uncommitted changes. And a committed transaction isn't durable: it can be lost if the server crashes.");
    for (const id of ['isolation', 'durability']) expect(denied.voided?.find((v) => v.id === id)?.why).toMatch(/denies it/);
    expect(denied.quality).toBeLessThanOrEqual(0.5);
    expectClaimsStand(acid, "ACID stands for atomicity, consistency, isolation and durability. Atomicity: all or nothing, a failed step rolls the whole transaction back. Consistency: every transaction moves the database from one valid state to another. Isolation: concurrent transactions don't see each other's uncommitted changes. Durability: once committed, a change survives a crash.", 0.85);
  });

  it('GIVEN the problem a point says one side avoids, said of the other side THEN it is the contrast, not a swapped claim', () => {
    expectClaimsStand(bank.get('rest-vs-graphql')!, "REST gives every resource its own endpoint and a fixed response shape, so a client often over-fetches fields or makes several round trips; GraphQL exposes one endpoint and the client asks for exactly the fields it needs. REST leans on HTTP caching, GraphQL needs its own. I'd pick REST for simple public APIs and GraphQL when many clients need different views of the same data.", 0.85);
  });
});
