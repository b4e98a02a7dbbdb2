/** Chatting with the bot through the real webhook: post a signed event, process the inbox, read replies. */
import type { FakeZalo, SentMessage } from '../fakes/fake-zalo';
import type { InboxProcessor } from '../../bot/webhook/inbox-processor';

export function chatWith(fake: FakeZalo, hookUrl: () => string, inbox: InboxProcessor) {
  async function post(event: object): Promise<SentMessage[]> {
    const before = fake.sent.length;
    const res = await fake.postWebhook(hookUrl(), event);
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${res.body}`);
    await inbox.drain();
    return fake.sent.slice(before);
  }
  return {
    say: (userId: string, text: string) => post(fake.buildEvent.text(userId, text)),
    post,
    /** Texts of the replies, joined (for readable assertions). */
    texts: (msgs: SentMessage[]) => msgs.map((m) => m.text ?? '').join('\n---\n'),
    buttons: (msgs: SentMessage[]) =>
      msgs.flatMap((m) => (m.message.attachment?.payload?.buttons ?? []) as { title: string; payload: unknown; type: string }[]),
  };
}
