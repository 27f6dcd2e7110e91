/** `/quiz suggestions` (admins): the suggested questions waiting for a decision. */
import { draftKeyPoints } from '../../content/authoring.js';
import { clip } from '../text/views.js';
import { admin, text, type CommandSpec } from './spec.js';

const ago = (ms: number) => {
  const h = Math.floor(ms / 3_600_000);
  return h < 1 ? 'just now' : h < 48 ? `${h} h ago` : `${Math.floor(h / 24)} days ago`;
};

export const suggestions = {
  name: 'suggestions',
  summary: 'the suggested questions waiting for a decision',
  admin: true,
  discord: admin('suggestions'),
  async run(ctx) {
    const list = await ctx.deps.suggestions.pending({ platform: ctx.channel.platform, serverId: ctx.channel.serverId });
    if (list.length === 0) return text('📭 No suggested questions are waiting.');
    const now = ctx.deps.clock.now();
    return text(
      [
        `📬 ${list.length} suggested question${list.length === 1 ? '' : 's'} waiting:`,
        ...list.flatMap((s) => [
          `• ${s.id} — “${s.title}” by ${s.by.name}, ${ago(now - s.at)}${s.keyPoints.length ? '' : ', key points to be drafted from the sample answer:'}`,
          // What approval would draft, so an admin can write better ones (points=…).
          // (The required ones, clipped: five suggestions fit one Discord message of 2,000 characters.)
          ...(s.keyPoints.length
            ? []
            : draftKeyPoints(s.sample, `${s.title} ${s.question}`)
                .filter((k) => !k.bonus)
                .map((k) => `   – ${clip(k.point, 60)}`)),
        ]),
        'Approve with /quiz approve <id> [topics=a,b] [level=senior] [title=…] [points=a; b; c]; decline with /quiz reject <id> <reason>.',
      ].join('\n'),
    );
  },
} satisfies CommandSpec;
