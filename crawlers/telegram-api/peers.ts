import { Api } from 'telegram';

/** The chats and users an API answer came with, by id: what a message's peers (forwards, replies) resolve against. */
export interface PeerDirectory {
  readonly chats: ReadonlyMap<string, Api.Channel | Api.Chat>;
  readonly users: ReadonlyMap<string, Api.User>;
}

/** Pure: the directory of an answer's `chats` and `users` (forbidden, empty and min entries kept out). */
export function peerDirectory(chats: readonly Api.TypeChat[], users: readonly Api.TypeUser[]): PeerDirectory {
  const c = new Map<string, Api.Channel | Api.Chat>();
  for (const chat of chats) if (chat instanceof Api.Channel || chat instanceof Api.Chat) c.set(chat.id.toString(), chat);
  const u = new Map<string, Api.User>();
  for (const user of users) if (user instanceof Api.User) u.set(user.id.toString(), user);
  return { chats: c, users: u };
}

/** The numeric id a peer names (a channel's, a basic group's or a user's), as a decimal string. */
export function peerId(peer: Api.TypePeer): string {
  if (peer instanceof Api.PeerChannel) return peer.channelId.toString();
  if (peer instanceof Api.PeerChat) return peer.chatId.toString();
  return peer.userId.toString();
}

/** What a peer is, as people name it: its title or name, and its public handle when it has one. */
export function describePeer(peer: Api.TypePeer, dir: PeerDirectory): { name?: string; handle?: string } {
  if (peer instanceof Api.PeerUser) {
    const u = dir.users.get(peer.userId.toString());
    if (!u) return {};
    const name = [u.firstName, u.lastName].filter(Boolean).join(' ');
    const handle = primaryUsername(u);
    return { ...(name ? { name } : {}), ...(handle ? { handle } : {}) };
  }
  const chat = dir.chats.get(peerId(peer));
  if (!chat) return {};
  const handle = chat instanceof Api.Channel ? primaryUsername(chat) : undefined;
  return { ...(chat.title ? { name: chat.title } : {}), ...(handle ? { handle } : {}) };
}

/** The public handle of a channel or user: `username`, else the first active collectible one of `usernames`. */
export function primaryUsername(entity: Api.Channel | Api.User): string | undefined {
  if (entity.username) return entity.username;
  return entity.usernames?.find((u) => u.active)?.username;
}

/** Where a message is linked: `https://t.me/<handle>/<id>` for a public chat, else `https://t.me/c/<chat id>/<id>`. */
export function messageUrl(linkBase: string, chat: { id: string; handle?: string }, messageId: number): string {
  const base = linkBase.replace(/\/+$/, '');
  return chat.handle ? `${base}/${chat.handle}/${messageId}` : `${base}/c/${chat.id}/${messageId}`;
}
