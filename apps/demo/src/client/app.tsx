import { useSyncExternalStore } from 'react';
import { ChatPage } from './chat-page.js';
import { FourStylesPage } from './four-styles-page.js';
import { LoopPage } from './loop-page.js';

const PAGES = [
  { hash: '#/styles', title: 'Four styles', Page: FourStylesPage },
  { hash: '#/chat', title: 'Chat', Page: ChatPage },
  { hash: '#/loop', title: "Don't block the loop", Page: LoopPage },
] as const;

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The demo: three pages chosen by the URL's hash, so every page has a link of its own. */
export function App() {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const current = PAGES.find((page) => page.hash === hash) ?? PAGES[0];
  const { Page } = current;
  return (
    <>
      <header>
        <h1>
          gust <small>Tornado's asynchronous model, in TypeScript</small>
        </h1>
        <nav>
          {PAGES.map((page) => (
            <a key={page.hash} href={page.hash} aria-current={page === current ? 'page' : undefined}>
              {page.title}
            </a>
          ))}
        </nav>
      </header>
      <main>
        <Page />
      </main>
    </>
  );
}
