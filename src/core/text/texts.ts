/**
 * The remaining sentences platforms show (form titles, acknowledgements, notices), in one place
 * with the views (views.ts) and the error sentences (errors.ts): adapters choose markup only.
 */
export const TEXTS = {
  privateForm: {
    title: 'Your answer (hidden until the reveal)',
    shortTitle: 'Your answer',
    label: 'Answer',
    hint: 'Hidden until the reveal',
    submit: 'Save',
    cancel: 'Cancel',
  },
  /** `/quiz suggest` as a form (Discord and Slack modals); limits from content/authoring.ts. */
  suggestForm: {
    title: 'Suggest a question',
    questionTitle: 'Title (e.g. What is a Bloom filter?)',
    question: 'The question as members will read it',
    sample: 'A good sample answer (3+ sentences)',
    keyPoints: 'Key points, one per line (3–6; optional)',
    /** Discord's placeholder (100 characters at most). */
    keyPointsPlaceholder: 'What a good answer must say, one per line: graded better than points drafted from your sample',
    keyPointsHint:
      'What a good answer must say, one per line. Left empty, key points are drafted from your sample answer, and answers are graded less reliably against drafted points.',
    submit: 'Suggest',
    cancel: 'Cancel',
  },
  sharedInChannel: '✅ Shared in the channel.',
  /** The console has no roles: who opted in is shown beside the notify role's name. */
  consoleNobodyOptedIn: 'nobody opted in yet',
  unknownCommand: 'Unknown command. Try /quiz help.',
  /** Posted once when quizbot joins a server (Discord) or is added to a channel (Slack). */
  welcome: [
    '👋 Hi, I’m quizbot: a backend-interview question for your team, answered in a thread and revealed with feedback on each answer.',
    'Three steps to a first round:',
    '1. An admin picks when questions post here: /quiz schedule set 0 9 * * 1-5 Europe/Berlin 8h (weekdays 09:00, revealed 8 hours later)',
    '2. Try one right now: /quiz cap (or any topic: acid, caching, rest …)',
    '3. See who is ahead: /quiz leaderboard',
    'Everything else: /quiz help',
  ].join('\n'),
  guildOnly: 'quizbot’s commands work in a server channel where quizbot is: try /quiz help there.',
  dmHelpIntro: 'quizbot asks a backend-interview question in a channel every day. In a server channel:',
  pickRoundDiscord: 'Pick one in the **round** option of /quizreveal.',
  /** Stand-in answer text when Discord's Message Content intent is off: counts as taking part only. */
  contentUnavailable: '(answer text unavailable: the bot runs without the Message Content intent)',
  noContentIntent:
    'quizbot runs without the Message Content intent, so it can see that members answered but not what they wrote: answers earn participation points only. Enable the intent in the Developer Portal and set DISCORD_MESSAGE_CONTENT=true for graded feedback.',
  noThreads:
    'I cannot create threads in {channel} (missing Create Public Threads). Answers are collected from replies in the channel until the permission is granted.',
  revealInChannel: 'The thread of “{title}” is locked, archived for good or deleted, so its reveal went to {channel} instead.',
  revealUndelivered:
    'I could not post the reveal of “{title}” in {channel} or its thread (deleted, locked, or I lost access). Points and streaks are counted; members can see their feedback with /quiz history.',
  slackThreadsNote: 'Slack does not allow slash commands inside threads: use /quiz in the channel, and answer in the thread by replying.',
} as const;
