/**
 * Every command quizbot has, in help order. Adding a verb: a new `<verb>.ts` exporting its
 * CommandSpec, and its name here (the import and its place in COMMANDS) — the text parser, help,
 * Discord's definitions and option reading, and the command hints all follow from it.
 */
import { approve } from './approve.js';
import { ask } from './ask.js';
import { grade } from './grade.js';
import { group } from './group.js';
import { help } from './help.js';
import { history } from './history.js';
import { leaderboard } from './leaderboard.js';
import { notify, rewardRole } from './notify.js';
import { pause } from './pause.js';
import { post } from './post.js';
import { recap } from './recap.js';
import { reject } from './reject.js';
import { resume } from './resume.js';
import { reveal } from './reveal.js';
import { schedule } from './schedule.js';
import { skip } from './skip.js';
import type { CommandSpec } from './spec.js';
import { stats } from './stats.js';
import { streak } from './streak.js';
import { suggest } from './suggest.js';
import { suggestions } from './suggestions.js';

export const COMMANDS: readonly CommandSpec[] = [
  ask,
  leaderboard,
  reveal,
  stats,
  streak,
  history,
  recap,
  group,
  notify,
  suggest,
  schedule,
  pause,
  resume,
  skip,
  post,
  grade,
  rewardRole,
  suggestions,
  approve,
  reject,
  help,
];

export { CommandRunner } from './runner.js';
export * from './spec.js';
export { tokenize, parseText, COMMAND_TEXT_MAX } from './parse.js';
