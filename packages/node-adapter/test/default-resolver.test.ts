import dns from 'node:dns';
import {
  DefaultResolver,
  isResolverError,
  type LookupFunction,
  type ResolverError,
} from '@gust/node-adapter';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { localLookup } from './fixtures/local-lookup.ts';
import { describeResolverContract } from './resolver-contract.ts';

describeResolverContract('DefaultResolver', () => new DefaultResolver({ lookup: localLookup }));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('DefaultResolver', () => {
  it('calls dns.lookup (read at call time) with all: true and the family', async () => {
    const spy = vi.spyOn(dns, 'lookup');
    const addresses = await new DefaultResolver().resolve('localhost', 8000, 4);
    expect(addresses).toContainEqual({ family: 4, address: '127.0.0.1', port: 8000 });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]?.slice(0, 2)).toEqual(['localhost', { family: 4, all: true }]);
  });

  it('keeps the order of the answers of the lookup', async () => {
    const lookup: LookupFunction = (_host, _options, callback) => {
      setImmediate(() =>
        callback(null, [
          { address: '::1', family: 6 },
          { address: '127.0.0.2', family: 4 },
          { address: '127.0.0.1', family: 4 },
        ]),
      );
    };
    expect(await new DefaultResolver({ lookup }).resolve('multi.test', 7)).toEqual([
      { family: 6, address: '::1', port: 7 },
      { family: 4, address: '127.0.0.2', port: 7 },
      { family: 4, address: '127.0.0.1', port: 7 },
    ]);
  });

  it('settles later even when the lookup answers synchronously', async () => {
    const lookup: LookupFunction = (_host, _options, callback) =>
      callback(null, [{ address: '127.0.0.1', family: 4 }]);
    const future = new DefaultResolver({ lookup }).resolve('sync.test', 1);
    expect(future.done()).toBe(false);
    expect(await future).toEqual([{ family: 4, address: '127.0.0.1', port: 1 }]);
  });

  it('rejects with a ResolverError when the lookup throws, or answers nothing', async () => {
    const throwing: LookupFunction = () => {
      throw Object.assign(new TypeError('bad hostname'), { code: 'ERR_INVALID_ARG_VALUE' });
    };
    const error = (await new DefaultResolver({ lookup: throwing })
      .resolve('bad.test', 1)
      .catch((e: unknown) => e)) as ResolverError;
    expect(isResolverError(error)).toBe(true);
    expect(error.message).toBe('Cannot resolve host "bad.test" (ERR_INVALID_ARG_VALUE): bad hostname');
    expect(error.cause).toBeInstanceOf(TypeError);

    const empty: LookupFunction = (_host, _options, callback) => setImmediate(() => callback(null, []));
    const none = (await new DefaultResolver({ lookup: empty })
      .resolve('empty.test', 1)
      .catch((e: unknown) => e)) as ResolverError;
    expect(none.code).toBe('ENODATA');
    expect(none.message).toBe('Cannot resolve host "empty.test" (ENODATA): no address found');
  });

  it('drops the answer of a cancelled lookup, and close() leaves it usable', async () => {
    let answer: (() => void) | undefined;
    const lookup: LookupFunction = (_host, _options, callback) => {
      answer = () => callback(null, [{ address: '127.0.0.1', family: 4 }]);
    };
    const resolver = new DefaultResolver({ lookup });
    const future = resolver.resolve('late.test', 1);
    future.cancel();
    answer!();
    expect(future.cancelled()).toBe(true);
    resolver.close();
    const next = resolver.resolve('late.test', 2);
    answer!();
    expect(await next).toEqual([{ family: 4, address: '127.0.0.1', port: 2 }]);
  });
});
