/** `/quiz help`: every command, one line each (renderers rewrite the hints per platform). */
import { text, type CommandSpec } from './spec.js';

export const help = {
  name: 'help',
  aliases: ['--help', '-h'],
  summary: 'every command, and how to answer',
  admin: false,
  discord: { command: 'quizhelp' },
  dm: true,
  async run(ctx) {
    return text(ctx.help());
  },
} satisfies CommandSpec;
