import { Future, GustError, isGustError } from '@gust/core';
import {
  CachingResolver,
  DefaultResolver,
  isResolverError,
  type ResolvedAddress,
  Resolver,
  ResolverError,
  ThreadedResolver,
} from '@gust/node-adapter';
import { afterEach, describe, expect, it } from 'vitest';

class StaticResolver extends Resolver {
  closed = 0;
  constructor(readonly options?: { address?: string }) {
    super();
  }
  resolve(_host: string, port: number): Future<ResolvedAddress[]> {
    return Future.resolve([{ family: 4 as const, address: this.options?.address ?? '127.0.0.9', port }]);
  }
  override close(): void {
    this.closed++;
  }
}

afterEach(() => {
  Resolver.configure(null);
});

describe('Resolver', () => {
  it('current() is a shared DefaultResolver unless configured', () => {
    const resolver = Resolver.current();
    expect(resolver).toBeInstanceOf(DefaultResolver);
    expect(Resolver.current()).toBe(resolver);
  });

  it('configure(instance) makes current() return that instance and never closes it', () => {
    const mine = new StaticResolver();
    Resolver.configure(mine);
    expect(Resolver.current()).toBe(mine);
    Resolver.configure(null);
    expect(mine.closed).toBe(0);
    expect(Resolver.current()).toBeInstanceOf(DefaultResolver);
  });

  it('configure(class, options) constructs it lazily with the options and closes it when reconfigured', async () => {
    Resolver.configure(StaticResolver, { address: '127.0.0.7' });
    const resolver = Resolver.current() as StaticResolver;
    expect(resolver).toBeInstanceOf(StaticResolver);
    expect(resolver.options).toEqual({ address: '127.0.0.7' });
    expect(Resolver.current()).toBe(resolver);
    expect(await Resolver.current().resolve('anything', 5)).toEqual([
      { family: 4, address: '127.0.0.7', port: 5 },
    ]);
    Resolver.configure(ThreadedResolver, { numThreads: 1 });
    expect(resolver.closed).toBe(1);
    const threaded = Resolver.current() as ThreadedResolver;
    expect(threaded).toBeInstanceOf(ThreadedResolver);
    expect(threaded.numThreads).toBe(1);
  });

  it('configure(null) goes back to a new DefaultResolver', () => {
    const first = Resolver.current();
    Resolver.configure(new CachingResolver(new DefaultResolver()));
    expect(Resolver.current()).toBeInstanceOf(CachingResolver);
    Resolver.configure(null);
    const again = Resolver.current();
    expect(again).toBeInstanceOf(DefaultResolver);
    expect(again).not.toBe(first);
  });

  it('configure() refuses anything but a Resolver, a class or null', () => {
    expect(() => Resolver.configure('ThreadedResolver' as never)).toThrow(
      new TypeError('Resolver.configure() takes a Resolver instance, a Resolver class or null'),
    );
  });
});

describe('ResolverError', () => {
  it('names the host, keeps the code and the cause', () => {
    const cause = Object.assign(new Error('getaddrinfo ENOTFOUND nope.invalid'), { code: 'ENOTFOUND' });
    const error = new ResolverError('nope.invalid', { cause });
    expect(error).toBeInstanceOf(GustError);
    expect(error.name).toBe('ResolverError');
    expect(error.message).toBe(
      'Cannot resolve host "nope.invalid" (ENOTFOUND): getaddrinfo ENOTFOUND nope.invalid',
    );
    expect(error.host).toBe('nope.invalid');
    expect(error.code).toBe('ENOTFOUND');
    expect(error.cause).toBe(cause);
    expect(isResolverError(error)).toBe(true);
    expect(isGustError(error)).toBe(true);
  });

  it('takes an explicit code and detail, and works without a cause', () => {
    const error = new ResolverError('a.test', { code: 'ENODATA', detail: 'no IPv6 address found' });
    expect(error.message).toBe('Cannot resolve host "a.test" (ENODATA): no IPv6 address found');
    expect('cause' in error).toBe(false);
    expect(new ResolverError('b.test').message).toBe('Cannot resolve host "b.test": no address found');
    expect(new ResolverError('b.test').code).toBeUndefined();
  });

  it('isResolverError() is false for other errors and true for a brand from another copy', () => {
    expect(isResolverError(new GustError('x'))).toBe(false);
    expect(isResolverError(new Error('x'))).toBe(false);
    expect(isResolverError(null)).toBe(false);
    const foreign = { [Symbol.for('gust.ResolverError')]: true };
    expect(isResolverError(foreign)).toBe(true);
  });
});
