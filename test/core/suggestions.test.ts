/**
 * Members' questions on the real Redis store and the real bank: suggest (limits, duplicates, at
 * most 5 pending even when sent at once), list, approve with edits (validated as a content file,
 * drafted key points, the author told and credited), picked by `/quiz <topic>` and a schedule,
 * graded at the reveal; reject with a reason.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { grade } from '../../src/content/grading.js';
import type { ChannelRef } from '../../src/core/types.js';
import { FakeClock, type RecordingChat } from '../helpers/core.js';
import { closeTestApps, testApp } from '../helpers/app.js';

afterAll(closeTestApps);

const channel: ChannelRef = { platform: 'console', serverId: 'local', channelId: 'general' };
const admin = { channel, member: { id: 'admin', name: 'admin' }, isAdmin: true, threadRef: null };
const as = (id: string) => ({ channel, member: { id, name: id }, isAdmin: false, threadRef: null });

export const BLOOM_SAMPLE =
  'A Bloom filter is a compact probabilistic set that answers membership queries. It can return false positives but never false negatives. It uses several hash functions that each set a bit in a shared bit array. Databases such as Cassandra use one per file to skip disk reads for keys that are absent.';
export const BLOOM = `What is a Bloom filter? | Explain what a Bloom filter is and when a backend would use one. | ${BLOOM_SAMPLE}`;

async function appAt(): Promise<{ app: App; chat: RecordingChat; clock: FakeClock }> {
  const clock = new FakeClock(Date.UTC(2026, 10, 23, 8));
  return { ...(await testApp({ clock, tag: 'sugg' })), clock };
}

type TextReply = { text: string; error?: boolean; visibility: string };
const run = async (app: App, ctx: typeof admin, line: string) => (await app.commands.run(ctx, line)) as TextReply;

describe('suggestions', () => {
  it('GIVEN a suggestion THEN an admin approves it with edits, the author is told, and it is asked, scheduled, credited and graded like a shipped question', async () => {
    const { app, chat, clock } = await appAt();
    const ack = await run(app, as('bob'), `suggest ${BLOOM}`);
    expect(ack.visibility).toBe('caller');
    expect(ack.text).toMatch(/Your question “What is a Bloom filter\?” \(s1\) waits for an admin/);
    expect((await run(app, as('bob'), 'suggestions')).error).toBe(true);
    const list = await run(app, admin, 'suggestions');
    expect(list.text).toMatch(/• s1 — “What is a Bloom filter\?” by bob, just now, key points to be drafted from the sample answer:/);
    // What approval would draft is shown, so an admin can write better ones.
    expect(list.text).toMatch(/\n {3}– It uses several hash functions that each set a bit in a sha…/);
    expect(list.text).toMatch(/points=a; b; c/);
    const ok = await run(app, admin, 'approve s1 topics=bloom-filter,data-structures level=senior');
    expect(ok.text).toMatch(/joins this server’s questions: topics bloom-filter, data-structures, senior; its key points were drafted/);
    expect(chat.told).toEqual([expect.objectContaining({ memberId: 'bob', text: expect.stringMatching(/was approved/) })]);
    expect((await run(app, admin, 'approve s1')).text).toMatch(/no longer waiting: s1 was already approved/);

    const bank = await app.quiz.bankFor(channel);
    const q = bank.get('what-is-a-bloom-filter')!;
    expect(q.author).toEqual({ id: 'bob', name: 'bob' });
    expect(q.keyPoints.length).toBeGreaterThanOrEqual(3);
    expect(q.keyPoints.every((k) => k.drafted)).toBe(true);
    // Another server does not see it.
    expect((await app.quiz.bankFor({ ...channel, serverId: 'other' })).get('what-is-a-bloom-filter')).toBeUndefined();

    // `/quiz bloom` finds it; the post credits bob.
    const practice = await app.commands.run(as('carol'), 'bloom');
    expect(practice).toMatchObject({ kind: 'posted', question: { id: 'what-is-a-bloom-filter' } });
    expect(chat.questions.at(-1)!.post.question.author?.name).toBe('bob');
    // A schedule limited to its topic posts it too, and the reveal grades the sample answer well.
    await run(app, admin, 'schedule set 0 9 * * * UTC 8h');
    expect((await run(app, admin, 'schedule topics bloom-filter')).error).toBeUndefined();
    clock.ms = Date.UTC(2026, 10, 24, 9);
    const posted = await app.scheduling.postNow(channel);
    expect(posted.question.id).toBe('what-is-a-bloom-filter');
    const answer = (who: string, text: string) =>
      app.quiz.recordAnswer({ channel, threadRef: null, roundId: posted.round.id, member: { id: who, name: who }, text, deliveryId: `d-${who}` });
    // dave knows it all; erin half of it; frank lists keywords; bob, its author, answers it fully.
    await answer('dave', BLOOM_SAMPLE);
    await answer('erin', 'A Bloom filter is a compact probabilistic set for membership queries; it can give false positives but never false negatives.');
    await answer('frank', 'bloom filter hash bits');
    await answer(
      'bob',
      'Bloom filters are small probabilistic sets for membership tests: false positives can happen, false negatives never. Several hash functions set bits in one bit array, and Cassandra keeps one per file to skip disk reads for absent keys.',
    );
    const reveal = await app.quiz.reveal(posted.round.id);
    const of = (who: string) => reveal.feedback.find((f) => f.member.id === who)!;
    expect(of('dave').missed).toEqual([]);
    expect(of('dave').flags).toEqual([]);
    expect(of('erin').covered.length).toBeGreaterThan(0);
    expect(of('erin').missed.length).toBeGreaterThan(0);
    expect(of('frank').covered).toEqual([]);
    expect(of('frank').points).toBe(0);
    // The author wrote the sample answer: answering his own question earns participation only.
    expect(of('bob').flags).toContain('own-question');
    expect(of('bob').points).toBeLessThan(of('erin').points);
  });

  it('GIVEN an admin who writes the key points at approval THEN they replace the drafted ones, and too few are refused', async () => {
    const { app } = await appAt();
    await run(app, as('bob'), `suggest ${BLOOM}`);
    const few = await run(app, admin, 'approve s1 points=false positives; no false negatives');
    expect(few.error).toBe(true);
    expect(few.text).toMatch(/3 to 6 key points after points=/);
    const points = [
      'May report false positives but never false negatives',
      'Several hash functions set bits in one shared bit array',
      'Used to skip disk reads for absent keys, as Cassandra does per file',
    ];
    const ok = await run(app, admin, `approve s1 topics=bloom-filter points=${points.join('; ')}`);
    expect(ok.error).toBeUndefined();
    expect(ok.text).not.toMatch(/drafted from the sample answer/);
    const q = (await app.quiz.bankFor(channel)).get('what-is-a-bloom-filter')!;
    expect(q.keyPoints.map((k) => k.point)).toEqual(points);
    // Written by a person: the reveal does not call them drafted from the sample answer.
    expect(q.keyPoints.some((k) => k.drafted)).toBe(false);
    expect(
      grade(
        q,
        'It can give false positives, never false negatives: k hash functions each set a bit in a shared bit array, so a database skips disk reads for absent keys.',
      ).quality,
    ).toBe(1);
  });

  it('GIVEN bad, duplicate or too many suggestions THEN each gets a clear error and nothing is queued', async () => {
    const { app } = await appAt();
    expect((await run(app, as('bob'), 'suggest only a title')).text).toMatch(/Suggest a question as: \/quiz suggest <title> \| <question> \| <sample answer>/);
    expect((await run(app, as('bob'), 'suggest Hi | Explain what a Bloom filter is. | ' + BLOOM_SAMPLE)).text).toMatch(
      /title must be 5 to 80 characters long \(yours has 2\)/,
    );
    expect((await run(app, as('bob'), `${'suggest ' + BLOOM} | one; two`)).text).toMatch(/Give 3 to 6 key points/);
    expect(
      (
        await run(
          app,
          as('bob'),
          'suggest What is a Bloom filter? | Explain what a Bloom filter is, please. | A Bloom filter is a compact probabilistic set for membership.',
        )
      ).text,
    ).toMatch(/at least three sentences/);
    // A shipped question asked again in other words.
    const dup = await run(
      app,
      as('bob'),
      'suggest The CAP theorem | Can you explain the CAP theorem and its implications for distributed systems? | It says that during a network partition a distributed system must choose between consistency and availability. Partitions happen on real networks. Systems pick CP or AP.',
    );
    expect(dup.text).toMatch(/already here: “The CAP theorem”/);
    // Six sent at once by one member: five wait, the sixth is refused.
    const six = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) =>
        run(
          app,
          as('erin'),
          `suggest Topic number ${n} ${'xyzzy'.repeat(n)} | Question ${n} about ${'quux'.repeat(n)} widgets? | ${BLOOM_SAMPLE.replace('Bloom', `Widget${n}`)}`,
        ),
      ),
    );
    expect(six.filter((r) => r.error && /already have 5 suggestions waiting/.test(r.text))).toHaveLength(1);
    expect(six.filter((r) => !r.error)).toHaveLength(5);
    expect((await app.suggestions.pending({ platform: 'console', serverId: 'local' })).filter((s) => s.by.id === 'erin')).toHaveLength(5);
    // Their list, drafted points included, fits one Discord message.
    const list = (await run(app, admin, 'suggestions')).text;
    expect(list.split('\n').filter((l) => l.startsWith('   – ')).length).toBeGreaterThanOrEqual(10);
    expect(list.length).toBeLessThanOrEqual(2000);
  });

  it('GIVEN a rejection THEN the author reads the reason, and the suggestion cannot be approved after', async () => {
    const { app, chat } = await appAt();
    await run(app, as('bob'), `suggest ${BLOOM}`);
    expect((await run(app, admin, 'reject s1')).text).toMatch(/Usage: \/quiz reject <id> <reason…>/);
    expect((await run(app, admin, 'reject s1 we cover this in the hashing question')).text).toMatch(
      /s1 \(“What is a Bloom filter\?”\) declined; bob has been told why/,
    );
    expect(chat.told.at(-1)).toMatchObject({
      memberId: 'bob',
      text: 'Your suggested question “What is a Bloom filter?” was not added: we cover this in the hashing question',
    });
    expect((await run(app, admin, 'approve s1')).error).toBe(true);
    expect((await run(app, admin, 'approve s7')).text).toMatch(/No suggestion “s7”/);
    const expert = await run(app, admin, 'approve s1 level=expert');
    expect(expert.error).toBe(true);
    expect(expert.text).toMatch(/“expert”/);
    expect((await app.suggestions.pending({ platform: 'console', serverId: 'local' })).map((x) => x.id)).toEqual([]);
  });
});
