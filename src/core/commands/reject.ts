/** `/quiz reject <id> <reason>` (admins): decline a suggestion; the author reads the reason. */
import { str } from './parse.js';
import { admin, text, type CommandSpec } from './spec.js';

export const reject = {
  name: 'reject',
  summary: 'decline a suggested question (the author is told why)',
  admin: true,
  options: [
    { name: 'id', summary: 'Suggestion id, e.g. s3', kind: 'string', required: true, maxLength: 20 },
    // One option: Discord passes the reason whole; in text it is the rest of the line.
    { name: 'reason', summary: 'Why', kind: 'rest', required: true, maxLength: 300 },
  ],
  discord: admin('reject'),
  async run(ctx, opts) {
    const s = await ctx.deps.suggestions.reject(ctx.channel, ctx.member, str(opts, 'id')!, str(opts, 'reason')!);
    return text(`🗑️ ${s.id} (“${s.title}”) declined; ${s.by.name} has been told why.`);
  },
} satisfies CommandSpec;
