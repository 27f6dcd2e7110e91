/**
 * The local console channel: a terminal stands in for one chat channel with one thread per
 * question. Lines are handled strictly in order; with piped (non-TTY) input the session ends
 * after the last line once pending work is done.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Reply } from '../../core/commands/index.js';
import type { ChatPort, NoticeView, QuestionPost, RevealProgress, RevealView } from '../../core/ports.js';
import { privateAnswerReceipt, type AnswerInput, type AnswerReceipt } from '../../core/rounds/quiz.js';
import { lateAnswerText } from '../../core/rounds/answer-buffer.js';
import type { PlatformFacade } from '../../core/facade.js';
import { THREAD_TOKEN } from '../../core/commands/history.js';
import { TEXTS } from '../../core/text/texts.js';
import type { ChannelRef, Member } from '../../core/types.js';
import { questionView, revealViewModel } from '../../core/text/views.js';
import { indent, renderBoard, renderChoices, renderNotice, renderQuestion, renderReveal } from './render.js';

export const CONSOLE_CHANNEL: ChannelRef = { platform: 'console', serverId: 'local', channelId: 'general' };

export class ConsoleChat implements ChatPort {
  constructor(private readonly write: (line: string) => void) {}

  async sendQuestion(_channel: ChannelRef, post: QuestionPost): Promise<{ messageRef: string }> {
    const v = questionView(post);
    if (v.mention) this.write(`quizbot: 🔔 @${v.mention} (${[...(this.notify.get(v.mention) ?? [])].join(', ') || TEXTS.consoleNobodyOptedIn})`);
    this.say(renderQuestion(v));
    return { messageRef: `message-${post.round.id}` };
  }

  async openThread(_channel: ChannelRef, _messageRef: string, post: QuestionPost): Promise<{ threadRef: string }> {
    this.write(`   ↳ thread opened: “${questionView(post).threadName}”`);
    return { threadRef: `thread-${post.round.id}` };
  }

  /** The console is one process: the reveal is one message, sent once. */
  async postReveal(_channel: ChannelRef, _threadRef: string, reveal: RevealView, progress: RevealProgress): Promise<void> {
    if (progress.from > 0) return;
    await progress.before(0);
    this.say(renderReveal(revealViewModel(reveal)));
    await progress.sent(0);
  }

  /** A terminal cannot edit what it printed; the reveal above says it all. */
  async markRevealed(): Promise<void> {}

  async tellMember(_channel: ChannelRef, memberId: string | null, text: string): Promise<void> {
    this.say(indent(text.replaceAll('{channel}', '#general'), '').map((l) => `📨 (privately, to ${memberId ?? 'the admin'}) ${l}`));
  }

  /** Who opted in to each notify role (a terminal has no roles of its own). */
  readonly notify = new Map<string, Set<string>>();

  async setRoleMember(_channel: ChannelRef, role: string, memberId: string, on: boolean): Promise<void> {
    const members = this.notify.get(role) ?? new Set<string>();
    if (on) members.add(memberId);
    else members.delete(memberId);
    this.notify.set(role, members);
  }

  /** One process, one terminal: what is printed was sent. */
  async sendNotice(_channel: ChannelRef, threadRef: string | null, notice: NoticeView): Promise<void> {
    this.say(renderNotice(notice, threadRef !== null));
  }

  private say(lines: string[]): void {
    const [first = '', ...rest] = lines;
    this.write(`quizbot: ${first}`);
    for (const l of rest) this.write(l === '' ? '' : `  ${l}`);
  }
}

export interface ConsoleSessionOptions {
  input: Readable;
  output: Writable;
  /** The core, as every adapter sees it (answers are held while Redis is unreachable). */
  facade: Pick<PlatformFacade, 'recordAnswer' | 'runCommand' | 'voteForMember' | 'retractMemberVote'>;
  channel?: ChannelRef;
  /** Echo member lines into the transcript (on for piped input, where nothing else shows them). */
  echo?: boolean;
  /** Show a prompt naming who types next (input from a terminal). */
  prompt?: boolean;
  initialMember?: string;
}

export class ConsoleSession {
  private member: Member;
  private seq = 0;
  private readonly channel: ChannelRef;

  constructor(private readonly opts: ConsoleSessionOptions) {
    this.channel = opts.channel ?? CONSOLE_CHANNEL;
    this.member = memberNamed(opts.initialMember ?? 'you');
  }

  /** An answer through the buffer: a held one is reported again when it is recorded (or not). */
  private record(input: AnswerInput): Promise<AnswerReceipt> {
    const who = input.member.name;
    return this.opts.facade.recordAnswer(input, (late) => this.write(`   ${who}: ${lateAnswerText(late)}`));
  }

  private write(line: string): void {
    this.opts.output.write(line + '\n');
  }

  /** Reads lines until end of input (or /quit); resolves when every line has been handled. */
  run(): Promise<void> {
    const rl = createInterface({ input: this.opts.input, terminal: false });
    let chain = Promise.resolve();
    let closed = false;
    return new Promise<void>((resolve) => {
      const prompt = () => {
        if (this.opts.prompt && !closed) this.opts.output.write(`${this.member.name}> `);
      };
      prompt();
      rl.on('line', (line) => {
        chain = chain.then(async () => {
          if (closed) return;
          const keepGoing = await this.handle(line);
          if (!keepGoing) {
            closed = true;
            rl.close();
          }
          prompt();
        });
      });
      rl.on('close', () => {
        void chain.then(() => resolve());
      });
    });
  }

  /** Lines read so far (blank ones included). */
  linesRead = 0;

  /** Handles one line; returns false when the session should end. */
  async handle(raw: string): Promise<boolean> {
    this.linesRead++;
    const line = raw.trim();
    if (line === '') return true;
    if (this.opts.echo) this.write(`${this.member.name}: ${line}`);
    if (line === '/quit' || line === '/exit') return false;
    const as = /^\/as\s+(.+)$/.exec(line);
    const vote = /^\/(un)?vote\s+(.+)$/.exec(line);
    const priv = /^\/private\s+(.+)$/.exec(line);
    const quiz = /^\/quiz(?:\s+(.*))?$/.exec(line);
    if (line === '/help') this.write(HELP);
    else if (as) {
      this.member = memberNamed(as[1]!.trim());
      this.write(`   (you are now ${this.member.name})`);
    } else if (vote) await this.vote(memberNamed(vote[2]!.trim()), !vote[1]);
    else if (priv) await this.answer(priv[1]!, true);
    else if (quiz) this.show(await this.opts.facade.runCommand({ channel: this.channel, member: this.member, isAdmin: true }, quiz[1] ?? ''));
    else if (line.startsWith('/')) this.write(`   Unknown command ${line.split(/\s/)[0]}. ${HELP_SHORT}`);
    else await this.answer(line, false);
    return true;
  }

  /** `/vote <name>` (or `/unvote <name>`): a 👍 for that member's answer to the open question. */
  private async vote(target: Member, add: boolean): Promise<void> {
    const input = { channel: this.channel, threadRef: null, voter: this.member, targetId: target.id };
    if (!add) {
      const removed = await this.opts.facade.retractMemberVote(input);
      this.write(removed ? `   👍 vote for ${target.name} taken back` : `   (no vote of yours for ${target.name} to take back)`);
      return;
    }
    const out = await this.opts.facade.voteForMember({ ...input, deliveryId: `console-vote-${++this.seq}` });
    const says: Record<string, string> = {
      recorded: `   👍 ${this.member.name} voted for ${target.name}'s answer`,
      duplicate: `   (you already voted for ${target.name})`,
      'already-voted': '   (one vote per member per question; /unvote <name> first to change it)',
      'self-vote': '   (you cannot vote for your own answer)',
      'no-answer': `   (${target.name} has not answered this question)`,
      closed: '   (this question is already revealed)',
      'unknown-round': '   (no open question; start one with /quiz)',
    };
    this.write(says[out] ?? `   (${out})`);
  }

  /** An answer to the open question, in its thread or (`/private`) privately. */
  private async answer(text: string, isPrivate: boolean): Promise<void> {
    const receipt = await this.record({
      channel: this.channel,
      threadRef: null,
      member: this.member,
      text,
      deliveryId: `console-${process.pid}-${++this.seq}`,
      ...(isPrivate ? { private: true } : {}),
    });
    if (isPrivate) return this.write(`   ${privateAnswerReceipt(receipt.outcome)}`);
    switch (receipt.outcome) {
      case 'recorded':
        this.write(`   ✓ answer recorded for ${this.member.name}`);
        break;
      case 'replaced':
        this.write(`   ✓ ${this.member.name}'s answer replaced by this one`);
        break;
      case 'closed':
        this.write('   (this question is already revealed; your reply was not scored)');
        break;
      case 'unknown-round':
        this.write('   (no open question; start one with /quiz)');
        break;
      case 'too-long':
      case 'held':
      case 'not-recorded':
        this.write(`   ${privateAnswerReceipt(receipt.outcome)}`);
        break;
      default:
        break;
    }
  }

  private show(reply: Reply): void {
    switch (reply.kind) {
      case 'text':
        this.write(
          indent(
            reply.text.replace(THREAD_TOKEN, (_, _c: string, ref: string) => `(${ref})`),
            reply.error ? '   ⚠️  ' : '   ',
          ).join('\n'),
        );
        break;
      case 'board':
        for (const l of renderBoard(reply.board)) this.write(l === '' ? '' : `  ${l}`);
        this.write(`   (only ${this.member.name === 'you' ? 'you see' : `${this.member.name} sees`} this) ${reply.mine.text}`);
        break;
      case 'choose-round':
        for (const l of renderChoices(reply.text, reply.choices)) this.write(`   ${l.trimStart()}`);
        break;
      case 'posted':
      case 'revealed':
        // Already shown through the chat port.
        break;
    }
  }
}

function memberNamed(name: string): Member {
  const clean = name.replace(/\s+/g, ' ').slice(0, 32);
  return { id: clean.toLowerCase(), name: clean };
}

const HELP_SHORT = 'Type /help for the commands.';
const HELP = [
  '   /quiz [topic]                 post a question (a random one without a topic), e.g. /quiz cap',
  '   /quiz reveal                  reveal the open question now',
  '   /quiz leaderboard [week|month|all]',
  '   /quiz help                    every /quiz command',
  '   /as <name>                    speak as another member',
  '   /vote <name>, /unvote <name>  👍 another member’s answer before the reveal (bonus points)',
  '   anything else                 your answer in the open question’s thread',
  '   /private <answer>             answer privately (hidden until the reveal)',
  '   /quit                         leave',
].join('\n');
