import { describe, expect, it } from 'vitest';
import { getLinks, main, SITE } from '../../../examples/spider/spider.ts';

const PAGES = Object.keys(SITE).filter((path) => path.startsWith('/site/'));

describe('spider example', () => {
  it('visits every page beneath the base URL exactly once and nothing outside it', async () => {
    const lines: string[] = [];
    const result = await main({ concurrency: 3, log: (line) => lines.push(line), timeoutMs: 10_000 });
    const paths = (urls: string[]) => urls.map((url) => new URL(url).pathname).sort();

    expect(paths(result.fetched)).toEqual([...PAGES].sort());
    expect(paths(result.dead)).toEqual(['/site/missing']);
    // The server saw each page once (the 404 included), and never the page outside the base URL.
    for (const path of [...PAGES, '/site/missing']) expect(result.hits.get(path), path).toBe(1);
    expect(result.hits.has('/elsewhere')).toBe(false);
    expect([...result.hits.values()].reduce((a, b) => a + b, 0)).toBe(PAGES.length + 1);

    expect(lines.filter((line) => line.startsWith('fetching ')).length).toBe(PAGES.length + 1);
    expect(lines).toContain(`Done in ${Math.round(result.elapsedMs)} ms, fetched ${PAGES.length} URLs.`);
    expect(lines.at(-1)).toBe('Unable to fetch 1 URLs.');
  });

  it('finds the same pages with a single worker', async () => {
    const result = await main({ concurrency: 1, log: () => {}, timeoutMs: 10_000 });
    expect(result.fetched.length).toBe(PAGES.length);
    expect(new Set(result.fetched).size).toBe(PAGES.length);
  });
});

describe('getLinks', () => {
  it('resolves hrefs against the page and drops fragments', () => {
    const html = `<a href="a/1">x</a> <a href='/site/c#top'>y</a> <a href="mailto:me@example.invalid">z</a>`;
    expect(getLinks(html, 'http://127.0.0.1:8/site/a')).toEqual([
      'http://127.0.0.1:8/site/a/1',
      'http://127.0.0.1:8/site/c',
      'mailto:me@example.invalid',
    ]);
  });
});
