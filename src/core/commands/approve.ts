/** `/quiz approve <id> [title=…] [topics=a,b] [level=…] [points=a; b; c]` (admins): a suggestion joins this server's questions. */
import { LEVELS } from '../../content/types.js';
import { QuizError } from '../text/errors.js';
import { parseApprovalEdits, splitKeyPoints, type ApprovalEdits } from '../community/suggestions.js';
import type { Level } from '../types.js';
import { str } from './parse.js';
import { admin, text, type CommandSpec } from './spec.js';

export const approve = {
  name: 'approve',
  summary: 'add a suggested question to this server’s questions',
  admin: true,
  options: [
    { name: 'id', summary: 'Suggestion id, e.g. s3', kind: 'string', required: true, maxLength: 20 },
    { name: 'title', summary: 'A better title', kind: 'string', named: true, maxLength: 80 },
    { name: 'topics', summary: 'Comma-separated topics, e.g. caching,redis', kind: 'string', named: true, maxLength: 100 },
    { name: 'level', summary: 'Level', kind: 'choice', choices: LEVELS, named: true },
    { name: 'points', summary: 'Key points separated by “;” (3 to 6), in place of the drafted ones', kind: 'string', named: true, maxLength: 1000 },
  ],
  discord: admin('approve'),
  // A title may have spaces: `title=A better title topics=a,b` (each key up to the next).
  parseText: (words) => {
    const [id, ...rest] = words;
    if (!id) throw QuizError.of('approve-usage');
    const e = parseApprovalEdits([...rest]);
    return { id, title: e.title, topics: e.topics?.join(','), level: e.level, points: e.keyPoints?.join('; ') };
  },
  async run(ctx, opts) {
    const topics = str(opts, 'topics')
      ?.split(/[,\s]+/)
      .map((t) => t.toLowerCase())
      .filter(Boolean);
    const edits: ApprovalEdits = {
      ...(str(opts, 'title') ? { title: str(opts, 'title')! } : {}),
      ...(topics?.length ? { topics } : {}),
      ...(str(opts, 'level') ? { level: str(opts, 'level') as Level } : {}),
      ...(str(opts, 'points') ? { keyPoints: splitKeyPoints(str(opts, 'points')!) } : {}),
    };
    const q = await ctx.deps.suggestions.approve(ctx.channel, ctx.member, str(opts, 'id')!, edits);
    const fromSample = q.keyPoints.some((k) => k.drafted);
    return text(
      `✅ “${q.title}” (${q.id}) joins this server’s questions: topics ${q.topics.join(', ')}, ${q.level}${fromSample ? '; its key points were drafted from the sample answer' : ''}. Ask for it with /quiz ${q.topics[0]}.`,
      'channel',
    );
  },
} satisfies CommandSpec;
