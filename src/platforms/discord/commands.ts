/**
 * quizbot's Discord application commands. Discord cannot mix a top-level option with
 * subcommands, so the verbs are split into a few commands:
 *   /quiz [topic]            a practice question (topic autocompleted from the bank)
 *   /quizhelp                every command, in Discord's own names
 *   /quizreveal [round]      reveal a question (in its thread: that one; several open: pick one)
 *   /leaderboard             week|month|all × channel|server|practice|group
 *   /quizstats [member]      stats and streak
 *   /quizhistory [count]     the channel's past questions with links to their threads
 *   /quizgroup               create|join|leave|list|show a study group
 *   /quizadmin …             schedule set/show, pause, resume, skip, post, reveal (Manage Server)
 * Registered by scripts/register-commands.ts, never on start-up.
 */
import {
  ApplicationCommandOptionType,
  InteractionContextType,
  PermissionFlagsBits,
  type APIApplicationCommandStringOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

const str = (name: string, description: string, extra: Record<string, unknown> = {}): APIApplicationCommandStringOption => ({
  type: ApplicationCommandOptionType.String as const,
  name,
  description,
  ...extra,
});
const choices = (...values: string[]) => values.map((v) => ({ name: v, value: v }));

/** Where a command can be used: server channels only, except /quizhelp (also in the bot's DMs). */
const GUILD_ONLY = { contexts: [InteractionContextType.Guild] };

const DEFINITIONS: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  {
    name: 'quiz',
    description: 'Get a practice question now (e.g. topic: cap)',
    options: [str('topic', 'A topic such as cap, acid, rest, caching', { required: false, autocomplete: true, max_length: 100 })],
  },
  {
    name: 'quizhelp',
    description: 'How quizbot works here: every command, and how to answer',
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  },
  {
    name: 'quizreveal',
    description: 'Reveal the practice question you asked for (admins: any open question)',
    options: [str('round', 'Which open question (when several are open)', { required: false, autocomplete: true, max_length: 100 })],
  },
  {
    name: 'leaderboard',
    description: 'Show a leaderboard',
    options: [
      str('period', 'week, month or all time', { choices: choices('week', 'month', 'all') }),
      str('scope', 'channel, server, practice or a study group', { choices: choices('channel', 'server', 'practice', 'group') }),
      str('group', 'Study group name (scope: group)', { max_length: 32 }),
    ],
  },
  {
    name: 'quizhistory',
    description: 'Past questions in this channel, with their threads and how they went',
    options: [
      { type: ApplicationCommandOptionType.Integer, name: 'count', description: 'How many (1–25, default 10)', required: false, min_value: 1, max_value: 25 },
    ],
  },
  {
    name: 'quizstats',
    description: 'Your stats and streak (or another member’s)',
    options: [{ type: ApplicationCommandOptionType.User, name: 'member', description: 'Whose stats', required: false }],
  },
  {
    name: 'quizgroup',
    description: 'Study groups',
    options: [
      str('action', 'What to do', { required: true, choices: choices('create', 'join', 'leave', 'list', 'show') }),
      str('name', 'Group name, e.g. backend-study', { max_length: 32 }),
    ],
  },
  {
    name: 'quiznotify',
    description: 'Be pinged (or not) when the daily question posts here',
    options: [
      str('action', 'on or off (streak: a private nudge when your streak is at risk)', {
        required: true,
        choices: choices('on', 'off', 'streak on', 'streak off'),
      }),
    ],
  },
  {
    name: 'quizsuggest',
    description: 'Suggest a question for this server (admins approve it)',
  },
  {
    name: 'quizrecap',
    description: 'This week’s (or month’s) recap so far',
    options: [str('period', 'week or month', { choices: choices('week', 'month') })],
  },
  {
    name: 'quizadmin',
    description: 'Schedule and control the daily question',
    default_member_permissions: String(PermissionFlagsBits.ManageGuild),
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'schedule',
        description: 'Set the schedule',
        options: [
          str('cron', 'Cron pattern, e.g. 0 9 * * 1-5', { required: true }),
          str('timezone', 'IANA time zone, e.g. Europe/Berlin'),
          str('reveal', 'Reveal after (8h) or a cron pattern'),
        ],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'show', description: 'Show the schedule and the next posts' },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'notify',
        description: 'The role pinged when the daily question posts (leave empty: ping nobody)',
        options: [{ type: ApplicationCommandOptionType.Role, name: 'role', description: 'Members opt in with /quiznotify', required: false }],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'suggestions', description: 'Suggested questions waiting for a decision' },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'approve',
        description: 'Add a suggested question to this server’s questions',
        options: [
          str('id', 'Suggestion id, e.g. s3', { required: true, max_length: 20 }),
          str('title', 'A better title', { max_length: 80 }),
          str('topics', 'Comma-separated topics, e.g. caching,redis', { max_length: 100 }),
          str('level', 'Level', { choices: choices('junior', 'mid', 'senior') }),
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'reject',
        description: 'Decline a suggested question (the author is told why)',
        options: [str('id', 'Suggestion id, e.g. s3', { required: true, max_length: 20 }), str('reason', 'Why', { required: true, max_length: 300 })],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'reward-role',
        description: 'A role for each week’s winner, moved at the weekly recap (leave empty: none)',
        options: [{ type: ApplicationCommandOptionType.Role, name: 'role', description: 'The winner’s role', required: false }],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'reminder',
        description: 'A reminder in the thread before each reveal',
        options: [str('before', 'How long before the reveal, e.g. 1h, 30m, or off', { required: true, max_length: 10 })],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'pause', description: 'Pause the daily question' },
      { type: ApplicationCommandOptionType.Subcommand, name: 'resume', description: 'Resume the daily question' },
      { type: ApplicationCommandOptionType.Subcommand, name: 'skip', description: 'Skip the next question' },
      { type: ApplicationCommandOptionType.Subcommand, name: 'post', description: 'Post the next question now' },
      { type: ApplicationCommandOptionType.Subcommand, name: 'reveal', description: 'Reveal the open question now' },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'grade',
        description: 'Set a member’s points for the open or latest question (human override)',
        options: [
          { type: ApplicationCommandOptionType.User, name: 'member', description: 'Whose answer', required: true },
          { type: ApplicationCommandOptionType.Integer, name: 'points', description: 'Points, 0–100', required: true, min_value: 0, max_value: 100 },
          str('round', 'Round id (default: this thread’s, or the channel’s open or latest question)'),
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'topics',
        description: 'Limit or exclude topics',
        options: [
          str('mode', 'only or exclude', { required: true, choices: choices('topics', 'exclude') }),
          str('list', 'Comma-separated tags, or all', { required: true }),
        ],
      },
    ],
  },
];

export const COMMANDS: RESTPostAPIChatInputApplicationCommandsJSONBody[] = DEFINITIONS.map((c) => (c.contexts ? c : { ...c, ...GUILD_ONLY }));

/** Permissions the bot needs in a channel: view, send, embed links, create public threads, send in threads, read history, add reactions (✅). */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions;
