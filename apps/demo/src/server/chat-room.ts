import { randomBytes } from 'node:crypto';
import { Condition, type Future, runGenerator } from '@gust/core';
import { HTTPError } from './http-error.js';

/** One chat message as the API sends it. */
export interface ChatMessage {
  /** Opaque and unique; the client sends the last one it saw back as its cursor. */
  id: string;
  author: string;
  body: string;
  /** Wall-clock time the server received it, in epoch milliseconds. */
  at: number;
}

/** What a poll gets: the new messages and the cursor to send next time. */
export interface ChatUpdate {
  messages: ChatMessage[];
  cursor: string;
}

/** Options of {@link ChatRoom}. */
export interface ChatRoomOptions {
  /** How many messages are kept for newcomers and for clients catching up. @default 200 */
  historySize?: number;
}

const MAX_BODY = 2000;
const MAX_AUTHOR = 40;

/**
 * The state of Tornado's long-polling chat: the last messages, and a {@link Condition} that every held
 * poll waits on until a new message arrives. A poll names the last message it saw (its cursor) and gets
 * every message after it, so a client that was busy between two polls loses nothing; a client with no
 * cursor (a newcomer), or one from before a server restart, gets the whole history.
 * @remarks Tornado: `MessageBuffer` in `demos/chat/chatdemo.py`. Ids here are `<room>.<sequence>` so a
 * cursor finds its place in O(1) instead of Tornado's scan, and cursors of another run are recognised.
 * @example
 * const room = new ChatRoom();
 * const poll = room.waitForMessages(room.cursor); // pending until someone posts
 * room.post({ author: 'ada', body: 'hello' });
 */
export class ChatRoom {
  readonly #id = randomBytes(4).toString('hex');
  readonly #historySize: number;
  readonly #condition = new Condition();
  #messages: ChatMessage[] = [];
  /** Sequence number of `#messages[0]`. */
  #firstSeq = 1;
  #waiting = 0;

  constructor(options: ChatRoomOptions = {}) {
    const size = options.historySize ?? 200;
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`historySize must be a whole number of at least 1, got ${String(size)}`);
    }
    this.#historySize = size;
  }

  /** How many polls are waiting for a new message right now. */
  get waiting(): number {
    return this.#waiting;
  }

  /** The messages kept for newcomers, oldest first. */
  history(): readonly ChatMessage[] {
    return this.#messages;
  }

  /**
   * Adds a message and wakes every waiting poll (their coroutines resume on a later microtask).
   * @throws HTTPError 400 for a missing or too long body or author.
   */
  post(input: { author?: unknown; body?: unknown }): ChatMessage {
    const body = typeof input.body === 'string' ? input.body.trim() : '';
    if (body === '' || body.length > MAX_BODY) {
      throw new HTTPError(400, `a message needs a body of 1 to ${MAX_BODY} characters`);
    }
    const author =
      typeof input.author === 'string' && input.author.trim() !== '' ? input.author.trim() : 'anonymous';
    if (author.length > MAX_AUTHOR)
      throw new HTTPError(400, `an author name has at most ${MAX_AUTHOR} characters`);
    const seq = this.#firstSeq + this.#messages.length;
    const message: ChatMessage = { id: `${this.#id}.${seq}`, author, body, at: Date.now() };
    this.#messages.push(message);
    if (this.#messages.length > this.#historySize) {
      const drop = this.#messages.length - this.#historySize;
      this.#messages = this.#messages.slice(drop);
      this.#firstSeq += drop;
    }
    this.#condition.notifyAll();
    return message;
  }

  /**
   * The messages after `cursor` (the id of the last message the client saw), oldest first: all of them
   * for `null`, a cursor of another run of the server, or one older than the history.
   */
  messagesSince(cursor: string | null): ChatMessage[] {
    const messages = this.#messages;
    const seq = this.#parse(cursor);
    if (seq === undefined) return messages.slice();
    const start = seq + 1 - this.#firstSeq;
    return start <= 0 ? messages.slice() : messages.slice(start);
  }

  /** The id of the latest message: the cursor that asks for everything after now. */
  get cursor(): string {
    return `${this.#id}.${this.#firstSeq + this.#messages.length - 1}`;
  }

  /**
   * A Future of the messages after `cursor` and the cursor to ask with next time. A newcomer (`null`)
   * gets the history at once, even an empty one; a known cursor gets what came after it at once if
   * there is something, otherwise the Future stays pending until a message is posted. Cancelling it (the
   * client disconnected) leaves the room's waiters at once.
   * @remarks Tornado: `MessageUpdatesHandler.post`, waiting on `cond.wait()`; Tornado also holds a
   * newcomer's poll when the room is empty, so its client cannot tell "connected" from "connecting".
   */
  waitForMessages(cursor: string | null): Future<ChatUpdate> {
    return runGenerator(this.poll(cursor));
  }

  /**
   * The body of {@link ChatRoom.waitForMessages}, for `yield*` from a coroutine that is already running
   * (a request handler): the poll then costs no coroutine of its own, which counts with thousands held.
   * @example
   * const update = yield* room.poll(cursor);
   */
  *poll(cursor: string | null): Generator<unknown, ChatUpdate> {
    let messages = this.messagesSince(cursor);
    if (messages.length === 0 && cursor !== null) {
      this.#waiting++;
      try {
        while (messages.length === 0) {
          yield this.#condition.wait();
          messages = this.messagesSince(cursor);
        }
      } finally {
        this.#waiting--;
      }
    }
    return { messages, cursor: this.cursor };
  }

  #parse(cursor: string | null): number | undefined {
    if (typeof cursor !== 'string') return undefined;
    const dot = cursor.lastIndexOf('.');
    if (dot < 0 || cursor.slice(0, dot) !== this.#id) return undefined;
    const seq = Number(cursor.slice(dot + 1));
    return Number.isSafeInteger(seq) && seq >= 0 && seq < this.#firstSeq + this.#messages.length
      ? seq
      : undefined;
  }
}
