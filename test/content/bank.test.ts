import { describe, expect, it } from 'vitest';
import { QuestionBank } from '../../src/content/bank.js';
import type { Question } from '../../src/content/types.js';
import { makeQuestion } from '../helpers/core.js';

function q(id: string, title: string, topics: string[], extra: Partial<Question> = {}): Question {
  return { ...makeQuestion(id, topics, [['p', ['p']]]), title, ...extra };
}

const bank = new QuestionBank([
  q('cap-theorem', 'The CAP theorem', ['cap', 'distributed-systems', 'consistency'], { aliases: ["brewer's theorem"] }),
  q('base-properties', 'BASE properties', ['base', 'nosql', 'consistency'], {
    sampleAnswers: [{ source: null, text: 'BASE relaxes ACID; compare the CAP theorem and availability.' }],
  }),
  q('reverse-proxy', 'Reverse proxies', ['reverse-proxy', 'nginx', 'networking']),
  q('data-migrations', 'Data migrations in production', ['migrations', 'databases']),
  q('rest-web-services', 'REST in web services', ['rest', 'api']),
  q('rest-vs-graphql', 'REST vs GraphQL', ['graphql', 'rest', 'api']),
  q('java-hashmap', 'How HashMap works in Java', ['java', 'collections']),
]);

describe('QuestionBank.find', () => {
  it('GIVEN a tag THEN the question with that primary tag is the match', () => {
    const r = bank.find('cap');
    expect(r.kind).toBe('match');
    expect(r.question?.id).toBe('cap-theorem');
  });

  it('GIVEN a typo THEN the nearest tag still matches (cpa → cap, grahpql → graphql)', () => {
    expect(bank.find('cpa').question?.id).toBe('cap-theorem');
    expect(bank.find('grahpql').question?.id).toBe('rest-vs-graphql');
    expect(bank.find('CAP').question?.id).toBe('cap-theorem');
  });

  it('GIVEN multi-word queries THEN titles and aliases match ("reverse proxy", "data migration", "brewer\'s theorem")', () => {
    expect(bank.find('reverse proxy').question?.id).toBe('reverse-proxy');
    expect(bank.find('data migration').question?.id).toBe('data-migrations');
    expect(bank.find("brewer's theorem").question?.id).toBe('cap-theorem');
  });

  it('GIVEN a tag several questions share THEN every equally strong question is a candidate', () => {
    const r = bank.find('rest');
    expect(r.kind).toBe('match');
    expect(r.candidates.map((c) => c.id)).toEqual(['rest-web-services']); // primary tag beats a secondary one
    const api = bank.find('api');
    expect(api.candidates.map((c) => c.id).sort()).toEqual(['rest-vs-graphql', 'rest-web-services']);
  });

  it('GIVEN nothing matches THEN "none" with the closest suggestions', () => {
    const r = bank.find('consistensy models');
    expect(r.kind).toBe('none');
    expect(r.suggestions.map((s) => s.id)).toEqual(expect.arrayContaining(['cap-theorem', 'base-properties']));
    expect(bank.find('zzqx-nothing').kind).toBe('none');
  });
});

describe('QuestionBank.suggest (autocomplete)', () => {
  it('GIVEN a tag THEN tagged questions rank above questions that merely mention it in an answer', () => {
    const ids = bank.suggest('cap', 5).map((s) => s.id);
    expect(ids[0]).toBe('cap-theorem');
    expect(ids).toContain('base-properties');
    expect(ids.indexOf('cap-theorem')).toBeLessThan(ids.indexOf('base-properties'));
  });

  it('GIVEN a prefix THEN completions come with titles, at most the limit', () => {
    const s = bank.suggest('gra', 3);
    expect(s[0]).toMatchObject({ id: 'rest-vs-graphql', title: 'REST vs GraphQL' });
    expect(bank.suggest('', 25).length).toBe(7);
    expect(bank.suggest('re', 2).length).toBeLessThanOrEqual(2);
  });
});

describe('QuestionBank.filter and topics', () => {
  it('GIVEN include and exclude topics and levels THEN only matching questions remain', () => {
    expect(bank.filter({ excludeTopics: ['java'] }).map((x) => x.id)).not.toContain('java-hashmap');
    expect(bank.filter({ topics: ['api'] }).map((x) => x.id).sort()).toEqual(['rest-vs-graphql', 'rest-web-services']);
    expect(bank.filter({ levels: ['senior'] })).toEqual([]);
    expect(bank.topics()[0]).toEqual({ topic: 'api', count: 2 });
  });
});
