import { type FormEvent, useEffect, useRef, useState } from 'react';
import { errorMessage } from './api.js';
import { type Connection, useChat } from './use-chat.js';

/**
 * Page 2: Tornado's long-polling chat room. Every open window holds one mostly idle request that the
 * server answers the moment anyone posts; open this page in two windows to see it.
 */
export function ChatPage() {
  const { messages, connection, send, sending, sendError } = useChat();
  const [author, setAuthor] = useState(() => `guest-${Math.floor(Math.random() * 9000 + 1000)}`);
  const [text, setText] = useState('');
  const inbox = useRef<HTMLOListElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll whenever a message arrives.
  useEffect(() => {
    inbox.current?.lastElementChild?.scrollIntoView({ block: 'nearest' });
  }, [messages.length]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() === '') return;
    send(author, text).then(
      () => setText(''),
      () => {}, // shown through sendError
    );
  };

  return (
    <section>
      <h2>Chat, by long polling</h2>
      <p>
        Each window keeps one request open, mostly idle, until someone posts (a coroutine looping over{' '}
        <code>AsyncHTTPClient.fetch</code> with <code>useCoroutine</code>). On the server every such request
        is a coroutine waiting on one <code>Condition</code>; a new message wakes them all at once. Open this
        page in a second window and talk to yourself.
      </p>
      <ConnectionStatus connection={connection} />
      <ol className="inbox" ref={inbox} data-testid="inbox">
        {messages.length === 0 ? <li className="empty">No messages yet.</li> : null}
        {messages.map((message) => (
          <li key={message.id} data-testid="message">
            <span className="author">{message.author}</span>
            <span className="body">{message.body}</span>
            <time dateTime={new Date(message.at).toISOString()}>
              {new Date(message.at).toLocaleTimeString()}
            </time>
          </li>
        ))}
      </ol>
      <form className="compose" onSubmit={submit}>
        <input
          aria-label="Your name"
          className="author"
          value={author}
          maxLength={40}
          onChange={(event) => setAuthor(event.target.value)}
        />
        <input
          aria-label="Message"
          placeholder="Say something…"
          value={text}
          maxLength={2000}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" disabled={sending}>
          Post
        </button>
      </form>
      {sendError !== undefined ? <p className="error">Could not post: {errorMessage(sendError)}</p> : null}
    </section>
  );
}

function ConnectionStatus({ connection }: { connection: Connection }) {
  switch (connection.state) {
    case 'live':
      return (
        <p className="status live" data-testid="connection">
          ● Live: waiting for new messages
        </p>
      );
    case 'connecting':
      return (
        <p className="status" data-testid="connection">
          ○ Connecting…
        </p>
      );
    case 'retrying':
      return (
        <p className="status error" data-testid="connection">
          ○ Disconnected ({connection.error}); trying again in {(connection.inMs / 1000).toFixed(1)} s
        </p>
      );
  }
}
