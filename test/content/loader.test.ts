import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkContent, ContentError, loadBank, parseQuestionFile } from '../../src/content/loader.js';
import { SEED, contentDir, questionFile } from './fixtures.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function dir(files: Record<string, string>, manifest?: string) {
  const d = contentDir(files, manifest);
  dirs.push(d);
  return d;
}

describe('parseQuestionFile', () => {
  it('GIVEN a valid file THEN every field and section is loaded', () => {
    const { question, problems } = parseQuestionFile('/x/questions/cap-theorem.md', questionFile('cap-theorem'));
    expect(problems).toEqual([]);
    expect(question).toMatchObject({
      id: 'cap-theorem',
      title: 'The CAP theorem',
      topics: ['cap', 'distributed-systems'],
      aliases: ["brewer's theorem"],
      level: 'mid',
      kind: 'technical',
      prompt: 'Can you explain the CAP theorem?',
      lookFor: 'Trade-offs in distributed systems.',
      sampleAnswers: [{ source: `${SEED}#7`, text: 'A distributed system cannot have all three.' }],
      editorNote: null,
    });
    expect(question!.keyPoints).toHaveLength(3);
  });

  it('GIVEN a bad level THEN the problem names the file and the field with the allowed values', () => {
    const text = questionFile('cap-theorem').replace('level: mid', 'level: expert');
    const { question, problems } = parseQuestionFile('/x/questions/cap-theorem.md', text);
    expect(question).toBeNull();
    expect(problems).toEqual(['/x/questions/cap-theorem.md: level: must be one of junior, mid, senior']);
  });

  it('GIVEN a key point without phrases and two key points THEN each problem names its path', () => {
    const broken = questionFile('cap-theorem')
      .replace(/\n {2}- id: examples[\s\S]*?(?=\n---)/, '')
      .replace('phrases: ["choose consistency availability", "cp or ap", "trade off"]', 'phrases: []');
    const { problems } = parseQuestionFile('/x/questions/cap-theorem.md', broken);
    expect(problems).toContain('/x/questions/cap-theorem.md: keyPoints[1].phrases: needs at least one phrase');
    expect(problems).toContain('/x/questions/cap-theorem.md: keyPoints: needs 3 to 6 key points');
  });

  it('GIVEN an id that differs from the file name THEN it is refused', () => {
    const { problems } = parseQuestionFile('/x/questions/cap.md', questionFile('cap-theorem'));
    expect(problems).toEqual(['/x/questions/cap.md: id: “cap-theorem” must equal the file name “cap”']);
  });

  it('GIVEN no front matter, broken YAML, a missing section or an unknown one THEN each is reported', () => {
    expect(parseQuestionFile('/q/a.md', '## Question\nWhy?').problems[0]).toMatch(/^\/q\/a\.md: front matter: the file must start/);
    expect(parseQuestionFile('/q/a.md', '---\nid: [a\n---\n').problems[0]).toMatch(/^\/q\/a\.md: front matter: invalid YAML/);
    const noSample = questionFile('cap-theorem', { body: '## Question\n\nWhy?\n' });
    expect(parseQuestionFile('/q/cap-theorem.md', noSample).problems).toContain(
      '/q/cap-theorem.md: section "## Sample answer": is missing: at least one sample answer is required',
    );
    const unknown = questionFile('cap-theorem') + '\n## Trivia\n\nFun.\n';
    expect(parseQuestionFile('/q/cap-theorem.md', unknown).problems[0]).toMatch(/section "## Trivia" \(line \d+\): unknown section/);
  });

  it('GIVEN a sample answer whose source is not declared THEN sources and sections must agree', () => {
    const text = questionFile('cap-theorem') + `\n## Sample answer — 003_b9dd8da79a9f1a3a.txt#116\n\nMore.\n`;
    expect(parseQuestionFile('/q/cap-theorem.md', text).problems).toEqual([
      '/q/cap-theorem.md: sources: the sample answer from 003_b9dd8da79a9f1a3a.txt#116 is not listed in sources',
    ]);
  });

  it("GIVEN an editor's note THEN it is kept", () => {
    const text = questionFile('cap-theorem') + `\n## Editor's note\n\nBASE is soft state.\n`;
    expect(parseQuestionFile('/q/cap-theorem.md', text).question?.editorNote).toBe('BASE is soft state.');
  });

  it("GIVEN an editor's note naming a seed passage THEN it is refused: members never see seed ids", () => {
    const text = questionFile('cap-theorem') + `\n## Editor's note\n\nThe definitions in 003#116 are loose.\n`;
    expect(parseQuestionFile('/q/cap-theorem.md', text).problems.join('\n')).toMatch(/Editor's note.*mentions the seed passage “003#116”/);
  });
});

describe('source credits', () => {
  it('GIVEN the shipped bank THEN every sourced sample answer is credited with its document title', async () => {
    const bank = await loadBank();
    const sourced = bank.all().flatMap((q) => q.sampleAnswers.filter((a) => a.source));
    expect(sourced.length).toBeGreaterThan(80);
    for (const a of sourced) expect(a.sourceTitle, a.source!).toMatch(/Interview Questions/);
  });
});

describe('loadBank and checkContent', () => {
  it('GIVEN a valid tree THEN the bank loads and the manifest checks out', async () => {
    const d = dir({ 'cap-theorem.md': questionFile('cap-theorem') });
    const bank = await loadBank(d);
    expect(bank.size).toBe(1);
    expect(await checkContent(d)).toMatchObject({ count: 1, problems: [] });
  });

  it('GIVEN an invalid file THEN loadBank throws a ContentError listing every problem and loads nothing', async () => {
    const d = dir({ 'cap-theorem.md': questionFile('cap-theorem').replace('kind: technical', 'kind: trivia') });
    const err = await loadBank(d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContentError);
    expect((err as ContentError).problems).toEqual([`${join(d, 'questions', 'cap-theorem.md')}: kind: must be one of technical, behavioural`]);
  });

  it('GIVEN a manifest that disagrees with the questions THEN content check reports both sides', async () => {
    const d = dir(
      { 'cap-theorem.md': questionFile('cap-theorem') },
      `${SEED}:\n  - position: 7\n    excerpt: "CAP"\n    id: cap-theorem-typo\n  - position: 8\n    excerpt: "Middleware"\n    excluded: "not a question"\n  - position: 8\n    excerpt: "again"\n    id: cap-theorem\n`,
    );
    const { problems } = await checkContent(d);
    expect(problems.some((p) => p.includes('id “cap-theorem-typo” has no file'))).toBe(true);
    expect(problems.some((p) => p.includes('position 8 is listed twice'))).toBe(true);
    expect(problems.some((p) => p.includes(`sources: ${SEED}#7 is listed in`))).toBe(true);
  });

  it('GIVEN a manifest entry with both id and excluded THEN it is refused', async () => {
    const d = dir({ 'cap-theorem.md': questionFile('cap-theorem') }, `${SEED}:\n  - position: 7\n    excerpt: "x"\n    id: cap-theorem\n    excluded: "why"\n`);
    const { problems } = await checkContent(d);
    expect(problems[0]).toMatch(/sources\.yaml: .*needs exactly one of id or excluded/);
  });
});
