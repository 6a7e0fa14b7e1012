import type { ChatRoom } from './chat-room.js';
import { HTTPError } from './http-error.js';
import { readJSON } from './http-io.js';
import type { Router } from './router.js';

/**
 * The chat API of Tornado's chat demo, with JSON bodies:
 * - `POST /a/message/new` `{ author?, body }` → the stored message; every held poll wakes up.
 * - `POST /a/message/updates` `{ cursor }` → `{ messages, cursor }`: the messages after the cursor and the
 *   cursor for the next poll. `null` (a newcomer) gets the history at once; any other cursor is held open
 *   until there is at least one message after it.
 * @remarks Tornado: `MessageNewHandler` and `MessageUpdatesHandler` (form-encoded there).
 */
export function chatRoutes(router: Router, room: ChatRoom): void {
  router.route('POST', '/a/message/new', function* newMessage(req) {
    const input = yield* readJSON(req);
    return room.post(input);
  });

  router.route('POST', '/a/message/updates', function* messageUpdates(req) {
    const { cursor = null } = yield* readJSON(req);
    if (cursor !== null && typeof cursor !== 'string') {
      throw new HTTPError(400, 'cursor must be the id of the last message seen, or null');
    }
    // Held until a message arrives; the router cancels this wait if the client disconnects first.
    return yield* room.poll(cursor);
  });
}
