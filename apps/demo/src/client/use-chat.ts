import { isCancelledError, sleep } from '@gust/core';
import { useCoroutine, useHTTPClient } from '@gust/react';
import { useCallback, useState } from 'react';
import { errorMessage, postJSON } from './api.js';

/** A chat message as the server sends it. */
export interface ChatMessage {
  id: string;
  author: string;
  body: string;
  at: number;
}

/** Where the long-poll stands. */
export type Connection =
  | { state: 'connecting' }
  | { state: 'live' }
  | { state: 'retrying'; inMs: number; error: string };

const FIRST_BACKOFF = 500;
const MAX_BACKOFF = 16_000;

/**
 * The browser side of Tornado's chat: a coroutine that loops over `AsyncHTTPClient.fetch`, holding one
 * long-poll open at a time. The first poll (no cursor) gets the history at once; each answer carries the
 * messages after the cursor sent and the cursor for the next poll, so nothing posted between two polls
 * is lost. After an error it waits (500 ms, doubling up to 16 s) and
 * tries again. Unmounting cancels the coroutine, which aborts the poll in flight.
 * @remarks Tornado: `updater.poll` in `demos/chat/static/chat.js`, with `errorSleepTime`.
 */
export function useChat() {
  const client = useHTTPClient();
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [connection, setConnection] = useState<Connection>({ state: 'connecting' });

  const add = useCallback((incoming: ChatMessage[]) => {
    setMessages((current) => {
      const seen = new Set(current.map((m) => m.id));
      const fresh = incoming.filter((m) => !seen.has(m.id));
      return fresh.length === 0 ? current : [...current, ...fresh];
    });
  }, []);

  useCoroutine(function* pollUpdates() {
    let cursor: string | null = null;
    let backoff = FIRST_BACKOFF;
    for (;;) {
      let answer: { messages: ChatMessage[]; cursor: string };
      try {
        // Mostly idle: the server answers only when there is something new. No timeout on our side.
        answer = yield* postJSON<{ messages: ChatMessage[]; cursor: string }>(
          client,
          '/a/message/updates',
          { cursor },
          { requestTimeout: 0 },
        );
      } catch (error) {
        if (isCancelledError(error)) throw error;
        setConnection({ state: 'retrying', inMs: backoff, error: errorMessage(error) });
        yield sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF);
        setConnection({ state: 'connecting' });
        continue;
      }
      backoff = FIRST_BACKOFF;
      setConnection({ state: 'live' });
      cursor = answer.cursor;
      if (answer.messages.length > 0) add(answer.messages);
    }
  });

  const sender = useCoroutine(
    function* (author: string, body: string) {
      const message = yield* postJSON<ChatMessage>(client, '/a/message/new', { author, body });
      // Shown at once, like Tornado's demo; the poll's copy is dropped as a duplicate.
      add([message]);
      return message;
    },
    [],
    { manual: true },
  );

  return { messages, connection, send: sender.run, sending: sender.loading, sendError: sender.error };
}
