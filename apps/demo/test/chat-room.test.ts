import { isCancelledError } from '@gust/core';
import { describe, expect, it } from 'vitest';
import { ChatRoom } from '../src/server/chat-room.js';
import { HTTPError } from '../src/server/http-error.js';

describe('ChatRoom', () => {
  it('gives a newcomer the history at once, even an empty one, with a cursor', async () => {
    const room = new ChatRoom();
    const empty = await room.waitForMessages(null);
    expect(empty.messages).toEqual([]);
    room.post({ author: 'ada', body: 'first' });
    room.post({ author: 'bob', body: 'second' });
    const update = await room.waitForMessages(null);
    expect(update.messages.map((m) => m.body)).toEqual(['first', 'second']);
    expect(update.cursor).toBe(update.messages[1]!.id);
    expect(empty.cursor).not.toBe(update.cursor);
  });

  it('holds a poll with a current cursor until a message is posted, then wakes every waiter', async () => {
    const room = new ChatRoom();
    const { cursor } = await room.waitForMessages(null);
    const polls = [room.waitForMessages(cursor), room.waitForMessages(cursor), room.waitForMessages(cursor)];
    await Promise.resolve();
    expect(polls.every((poll) => !poll.done())).toBe(true);
    expect(room.waiting).toBe(3);
    const message = room.post({ author: 'ada', body: 'hello' });
    const updates = await Promise.all(polls);
    for (const update of updates) {
      expect(update.messages).toEqual([message]);
      expect(update.cursor).toBe(message.id);
    }
    expect(room.waiting).toBe(0);
  });

  it('loses nothing posted between two polls', async () => {
    const room = new ChatRoom();
    const first = room.post({ body: 'one' });
    const { cursor } = await room.waitForMessages(null);
    expect(cursor).toBe(first.id);
    room.post({ body: 'two' });
    room.post({ body: 'three' });
    const next = room.waitForMessages(cursor);
    expect(next.done()).toBe(true);
    expect((await next).messages.map((m) => m.body)).toEqual(['two', 'three']);
  });

  it('keeps historySize messages and gives a cursor older than them all that it kept', async () => {
    const room = new ChatRoom({ historySize: 3 });
    const old = room.post({ body: 'm1' });
    for (const body of ['m2', 'm3', 'm4', 'm5']) room.post({ body });
    expect(room.history().map((m) => m.body)).toEqual(['m3', 'm4', 'm5']);
    expect((await room.waitForMessages(old.id)).messages.map((m) => m.body)).toEqual(['m3', 'm4', 'm5']);
    expect(room.messagesSince(room.history()[0]!.id).map((m) => m.body)).toEqual(['m4', 'm5']);
  });

  it('treats a cursor of another room (a server restart) as a newcomer', async () => {
    const before = new ChatRoom();
    const stale = before.post({ body: 'from the previous run' }).id;
    const room = new ChatRoom();
    room.post({ body: 'a' });
    expect(room.messagesSince(stale).map((m) => m.body)).toEqual(['a']);
    expect(room.messagesSince('garbage').map((m) => m.body)).toEqual(['a']);
    expect(room.messagesSince(`${stale.split('.')[0]}.99`).map((m) => m.body)).toEqual(['a']);
  });

  it('lets a cancelled poll leave the waiters at once', async () => {
    const room = new ChatRoom();
    const poll = room.waitForMessages(room.cursor);
    expect(room.waiting).toBe(1);
    expect(poll.cancel()).toBe(true);
    await expect(poll).rejects.toSatisfy(isCancelledError);
    expect(room.waiting).toBe(0);
    room.post({ body: 'nobody is waiting' });
    expect(poll.cancelled()).toBe(true);
  });

  it('rejects empty or oversized messages with HTTPError 400 and names anonymous authors', () => {
    const room = new ChatRoom();
    expect(() => room.post({ body: '   ' })).toThrow(HTTPError);
    expect(() => room.post({ body: 'x'.repeat(2001) })).toThrow(/1 to 2000 characters/);
    expect(() => room.post({ author: 'a'.repeat(41), body: 'hi' })).toThrow(/at most 40 characters/);
    expect(() => room.post({ body: 42 })).toThrow(
      expect.objectContaining({ name: 'HTTPError', status: 400 }),
    );
    expect(room.post({ body: ' hi ' })).toMatchObject({ author: 'anonymous', body: 'hi' });
    expect(() => new ChatRoom({ historySize: 0 })).toThrow(RangeError);
  });
});
