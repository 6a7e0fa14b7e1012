/**
 * What {@link HTTPHeaders} can be built from: another instance, a record, or `[name, value]` pairs (fetch `Headers`).
 * @example
 * new HTTPHeaders({ Accept: 'application/json', 'Set-Cookie': ['a=1', 'b=2'] });
 * new HTTPHeaders([['Accept', 'text/html']]);
 */
export type HTTPHeadersInit =
  | HTTPHeaders
  | Readonly<Record<string, string | number | readonly string[] | undefined>>
  | Iterable<readonly [string, string]>;

// RFC 9110 token characters: a header name made of them cannot carry CR, LF, NUL, ':' or spaces.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FORBIDDEN_IN_VALUE = /[\r\n\0]/;
const HTTP_WHITESPACE = /^[ \t]+|[ \t]+$/g;

// Tornado caches `_normalize_header` the same way (an LRU of 1000): header names repeat.
const displayNames = new Map<string, string>();

function displayName(lower: string): string {
  let name = displayNames.get(lower);
  if (name === undefined) {
    name = lower.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
    if (displayNames.size < 1000) displayNames.set(lower, name);
  }
  return name;
}

function checkName(name: string): string {
  if (typeof name !== 'string' || !TOKEN.test(name)) {
    throw new TypeError(
      `Invalid header name ${JSON.stringify(name)}: a header name is a token of letters, digits and ` +
        "!#$%&'*+-.^_`|~ (no spaces, colons, CR, LF or NUL)",
    );
  }
  return name.toLowerCase();
}

function checkValue(name: string, value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  if (FORBIDDEN_IN_VALUE.test(text)) {
    throw new TypeError(
      `Invalid value for header ${JSON.stringify(name)}: CR, LF and NUL are not allowed in header values ` +
        '(they would let the value inject other headers)',
    );
  }
  return text;
}

let fromTrusted: (pairs: Iterable<readonly [string, string]>) => HTTPHeaders;

/**
 * HTTP headers: case-insensitive names, several values per name, insertion order kept. Names are shown in
 * `Http-Header-Case` as in Tornado. Names must be tokens and values must not contain CR, LF or NUL:
 * `add`, `set` and the constructor throw a `TypeError` otherwise.
 * Headers that a transport received are parsed lazily, on first access.
 * @remarks Tornado: `tornado.httputil.HTTPHeaders`; `h[name]` is `get`, `get_list` is `getList`,
 * `get_all()` is iteration, `del h[name]` is `delete`.
 * @example
 * const headers = new HTTPHeaders({ 'Content-Type': 'text/plain' });
 * headers.add('Set-Cookie', 'a=1');
 * headers.add('Set-Cookie', 'b=2');
 * headers.get('set-cookie'); // 'a=1,b=2'
 * headers.getList('Set-Cookie'); // ['a=1', 'b=2']
 */
export class HTTPHeaders implements Iterable<[string, string]> {
  #map: Map<string, string[]> | undefined;
  #lazy: Iterable<readonly [string, string]> | undefined;

  static {
    fromTrusted = (pairs) => {
      const headers = new HTTPHeaders();
      headers.#lazy = pairs;
      return headers;
    };
  }

  /** Creates headers from `init` (copied and validated). */
  constructor(init?: HTTPHeadersInit) {
    if (init === undefined || init === null) return;
    if (init instanceof HTTPHeaders) {
      const map = new Map<string, string[]>();
      for (const [key, values] of init.#entries()) map.set(key, values.slice());
      this.#map = map;
      return;
    }
    if (typeof (init as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const pair of init as Iterable<readonly [string, string]>) {
        if (!Array.isArray(pair) || pair.length !== 2) {
          throw new TypeError('HTTPHeaders takes [name, value] pairs; got an entry that is not a pair');
        }
        this.add(pair[0], pair[1]);
      }
      return;
    }
    if (typeof init !== 'object') {
      throw new TypeError(
        'HTTPHeaders takes an HTTPHeaders, a record of names to values, or [name, value] pairs',
      );
    }
    for (const name of Object.keys(init)) {
      const value = (init as Record<string, unknown>)[name];
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) this.add(name, item);
      else this.add(name, value as string);
    }
  }

  /**
   * Parses a header block (`Name: value` lines separated by CRLF or LF; continuation lines that start with
   * a space or tab are folded into the previous value).
   * @throws TypeError for a line without a colon, a continuation without a header before it, or a bad name.
   * @example
   * HTTPHeaders.parse('Content-Type: text/html\r\nContent-Length: 42\r\n');
   */
  static parse(text: string): HTTPHeaders {
    const headers = new HTTPHeaders();
    let last: string[] | undefined;
    for (const raw of text.split('\n')) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '') continue;
      if (line[0] === ' ' || line[0] === '\t') {
        if (last === undefined)
          throw new TypeError('Invalid header block: the first line cannot start with whitespace');
        last[last.length - 1] += ` ${checkValue('continuation', line.replace(HTTP_WHITESPACE, ''))}`;
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) throw new TypeError(`Invalid header line (no colon): ${JSON.stringify(line)}`);
      const name = line.slice(0, colon);
      headers.add(name, line.slice(colon + 1).replace(HTTP_WHITESPACE, ''));
      last = headers.#entries().get(name.toLowerCase());
    }
    return headers;
  }

  #entries(): Map<string, string[]> {
    let map = this.#map;
    if (map === undefined) {
      map = this.#map = new Map();
      const lazy = this.#lazy;
      if (lazy !== undefined) {
        this.#lazy = undefined;
        for (const [name, value] of lazy) {
          const key = name.toLowerCase();
          const values = map.get(key);
          if (values === undefined) map.set(key, [value]);
          else values.push(value);
        }
      }
    }
    return map;
  }

  /** Adds a value for `name`, keeping the values already there. Tornado: `HTTPHeaders.add`. */
  add(name: string, value: string): void {
    const key = checkName(name);
    const text = checkValue(name, value);
    const map = this.#entries();
    const values = map.get(key);
    if (values === undefined) map.set(key, [text]);
    else values.push(text);
  }

  /** Replaces every value of `name` with `value`. Tornado: `headers[name] = value`. */
  set(name: string, value: string): void {
    const key = checkName(name);
    this.#entries().set(key, [checkValue(name, value)]);
  }

  /** The values of `name` joined with `,` (Tornado's `headers[name]`), or `undefined` if absent. */
  get(name: string): string | undefined {
    const values = this.#entries().get(name.toLowerCase());
    if (values === undefined) return undefined;
    return values.length === 1 ? values[0] : values.join(',');
  }

  /** Every value of `name`, in order; `[]` if absent. Tornado: `HTTPHeaders.get_list`. */
  getList(name: string): string[] {
    const values = this.#entries().get(name.toLowerCase());
    return values === undefined ? [] : values.slice();
  }

  /** True if `name` has at least one value. */
  has(name: string): boolean {
    return this.#entries().has(name.toLowerCase());
  }

  /** Removes every value of `name`; returns true if there was one. Tornado: `del headers[name]`. */
  delete(name: string): boolean {
    return this.#entries().delete(name.toLowerCase());
  }

  /** A copy that can be changed without changing this one. */
  copy(): HTTPHeaders {
    return new HTTPHeaders(this);
  }

  /** `[Name, value]` for each value, names in `Http-Header-Case`, in insertion order. Tornado: `get_all()`. */
  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (const [key, values] of this.#entries()) {
      const name = displayName(key);
      for (const value of values) yield [name, value];
    }
  }

  /** The header block: one `Name: value\r\n` line per value. */
  toString(): string {
    let text = '';
    for (const [name, value] of this) text += `${name}: ${value}\r\n`;
    return text;
  }
}

/**
 * Headers from a trusted source, for transports: the pairs a transport's HTTP parser produced (a fetch
 * `Headers`, undici's raw headers) are kept as they are, not validated, and only copied into the
 * case-insensitive map when first read, so responses whose headers nobody reads cost nothing.
 * The iterable must stay readable until then.
 * @example
 * handler.onHeaders({ code: response.status, reason: response.statusText, headers: trustedHeaders(response.headers) });
 */
export function trustedHeaders(pairs: Iterable<readonly [string, string]>): HTTPHeaders {
  return fromTrusted(pairs);
}
