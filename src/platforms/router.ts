/** Routes core output to the adapter of the channel's platform. */
import type { ChatPort, QuestionPost, RevealView } from '../core/ports.js';
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

  postQuestion(channel: ChannelRef, post: QuestionPost): Promise<{ threadRef: string }> {
    return this.port(channel).postQuestion(channel, post);
  }

  postReveal(channel: ChannelRef, threadRef: string, reveal: RevealView): Promise<void> {
    return this.port(channel).postReveal(channel, threadRef, reveal);
  }

  postNotice(channel: ChannelRef, threadRef: string | null, text: string): Promise<void> {
    return this.port(channel).postNotice(channel, threadRef, text);
  }
}
