/** Routes core output to the adapter of the channel's platform. */
import type { ChatPort, NoticeSendOptions, NoticeView, QuestionPost, RevealProgress, RevealView } from '../core/ports.js';
import type { ChannelRef, PlatformName } from '../core/types.js';

export class ChatRouter implements ChatPort {
  private readonly ports = new Map<PlatformName, ChatPort>();

  register(platform: PlatformName, port: ChatPort): void {
    this.ports.set(platform, port);
  }

  private port(channel: ChannelRef): ChatPort {
    const p = this.ports.get(channel.platform);
    if (!p) throw new Error(`no adapter running for platform ${channel.platform}`);
    return p;
  }

  sendQuestion(channel: ChannelRef, post: QuestionPost, opts: { resume: boolean }): Promise<{ messageRef: string }> {
    return this.port(channel).sendQuestion(channel, post, opts);
  }

  openThread(channel: ChannelRef, messageRef: string, post: QuestionPost): Promise<{ threadRef: string }> {
    return this.port(channel).openThread(channel, messageRef, post);
  }

  postReveal(channel: ChannelRef, threadRef: string, reveal: RevealView, progress: RevealProgress): Promise<void> {
    return this.port(channel).postReveal(channel, threadRef, reveal, progress);
  }

  markRevealed(channel: ChannelRef, messageRef: string, post: QuestionPost): Promise<void> {
    return this.port(channel).markRevealed(channel, messageRef, post);
  }

  tellMember(channel: ChannelRef, memberId: string | null, text: string): Promise<void> {
    return this.port(channel).tellMember(channel, memberId, text);
  }

  sendNotice(channel: ChannelRef, threadRef: string | null, notice: NoticeView, opts: NoticeSendOptions): Promise<void> {
    return this.port(channel).sendNotice(channel, threadRef, notice, opts);
  }

  setRoleMember(channel: ChannelRef, role: string, memberId: string, on: boolean): Promise<void> {
    return this.port(channel).setRoleMember(channel, role, memberId, on);
  }
}
