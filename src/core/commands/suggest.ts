/**
 * `/quiz suggest <title> | <question> | <sample answer> [| <key point>; …]`: a member suggests a
 * question for this server; admins approve it. Discord and Slack collect the same fields in a form.
 */
import { checkSuggestion, parseSuggestText, type SuggestionFields } from '../community/suggestions.js';
import { str } from './parse.js';
import { text, type CommandSpec, type Options } from './spec.js';

/** The form's (or the text's) options as a suggestion's fields; key points one per line or split by `;`. */
function fieldsOf(opts: Options): SuggestionFields {
  const keyPoints = (str(opts, 'keyPoints') ?? '')
    .split(/[;\n]/)
    .map((k) => k.trim())
    .filter(Boolean);
  return { title: str(opts, 'title') ?? '', question: str(opts, 'question') ?? '', sample: str(opts, 'sample') ?? '', keyPoints };
}

export const suggest = {
  name: 'suggest',
  summary: 'suggest a question for this server (admins approve it)',
  admin: false,
  usage: '/quiz suggest <title> | <question> | <sample answer> [| <key point>; <key point>…]',
  form: true,
  options: [
    { name: 'title', summary: 'A short title', kind: 'rest', required: true },
    { name: 'question', summary: 'The question', kind: 'rest', required: true },
    { name: 'sample', summary: 'A sample answer', kind: 'rest', required: true },
    { name: 'keyPoints', summary: 'Key points, one per line or separated by ;', kind: 'rest' },
  ],
  discord: { command: 'quizsuggest' },
  parseText: (words) => {
    const f = parseSuggestText(words.join(' '));
    return { title: f.title, question: f.question, sample: f.sample, keyPoints: f.keyPoints.join('; ') };
  },
  formErrors: (opts) => Object.fromEntries(Object.entries(checkSuggestion(fieldsOf(opts)).errors).map(([k, e]) => [k, e.message])),
  async run(ctx, opts) {
    const s = await ctx.deps.suggestions.suggest(ctx.channel, ctx.member, fieldsOf(opts));
    return text(`📬 Thanks! Your question “${s.title}” (${s.id}) waits for an admin; you will hear back privately.`);
  },
} satisfies CommandSpec;
