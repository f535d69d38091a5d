import { describe, expect, it } from 'vitest';
import { candidates, resolveName } from '../../../src/dns/resolver.js';
import { makeCtx, makeWorld } from './world.js';

const S = { search: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], ndots: 5 };

describe('search list and ndots', () => {
  it('fewer dots than ndots: the search domains first, then the name', () => {
    expect(candidates('my-svc', S, 'glibc')).toEqual(['my-svc.default.svc.cluster.local.', 'my-svc.svc.cluster.local.', 'my-svc.cluster.local.', 'my-svc.']);
    expect(candidates('example.com', S, 'musl')).toEqual(['example.com.default.svc.cluster.local.', 'example.com.svc.cluster.local.', 'example.com.cluster.local.', 'example.com.']);
  });
  it('ndots or more: glibc tries the name then the list; musl only the name; a trailing dot is absolute', () => {
    expect(candidates('a.b.c.d.e.f', S, 'glibc')).toEqual(['a.b.c.d.e.f.', 'a.b.c.d.e.f.default.svc.cluster.local.', 'a.b.c.d.e.f.svc.cluster.local.', 'a.b.c.d.e.f.cluster.local.']);
    expect(candidates('a.b.c.d.e.f', S, 'musl')).toEqual(['a.b.c.d.e.f.']);
    expect(candidates('my-svc.default.svc.cluster.local.', S, 'glibc')).toEqual(['my-svc.default.svc.cluster.local.']);
  });
});

describe('resolveName (the stub resolver curl and wget use)', () => {
  const w = makeWorld();

  it('a short name from the same namespace resolves at the first try', () => {
    const ctx = makeCtx(w, 'client', { busybox: false });
    const r = resolveName(ctx, 'my-svc');
    expect(r).toMatchObject({ fqdn: 'my-svc.default.svc.cluster.local', addresses: ['10.96.100.10'], tries: [{ fqdn: 'my-svc.default.svc.cluster.local', rcode: 'NOERROR' }] });
    expect(ctx.connects).toEqual(['10.96.0.10:53']);
    expect(ctx.hops).toContainEqual({ component: 'coredns', action: 'answered', object: 'my-svc.default.svc.cluster.local', detail: 'A 10.96.100.10' });
  });

  it('from another namespace the short name fails; <svc>.<ns> resolves on the second try', () => {
    const ctx = makeCtx(w, 'client-other', { busybox: false });
    const r = resolveName(ctx, 'my-svc');
    expect(r).toMatchObject({ error: 'NXDOMAIN' });
    expect(r.tries.map((t) => `${t.fqdn} ${t.rcode}`)).toEqual([
      'my-svc.other.svc.cluster.local NXDOMAIN', 'my-svc.svc.cluster.local NXDOMAIN', 'my-svc.cluster.local NXDOMAIN', 'my-svc NXDOMAIN',
    ]);
    const r2 = resolveName(ctx, 'my-svc.default');
    expect(r2).toMatchObject({ fqdn: 'my-svc.default.svc.cluster.local', addresses: ['10.96.100.10'] });
    expect(r2.tries.length).toBe(2);
    expect(resolveName(ctx, 'kubernetes.default')).toMatchObject({ addresses: ['10.96.0.1'] });
  });

  it('an external name walks the whole search list before the forwarder answers', () => {
    const r = resolveName(makeCtx(w, 'client', { busybox: false }), 'example.com');
    expect(r).toMatchObject({ fqdn: 'example.com', addresses: ['93.184.215.14'] });
    expect(r.tries.map((t) => t.rcode)).toEqual(['NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'NOERROR']);
  });

  it('/etc/hosts answers first (the pod own name, localhost)', () => {
    const ctx = makeCtx(w, 'client');
    expect(resolveName(ctx, 'localhost')).toMatchObject({ addresses: ['127.0.0.1'], tries: [] });
    expect(resolveName(ctx, 'client')).toMatchObject({ addresses: ['10.244.1.20'] });
    expect(ctx.connects).toEqual([]);
  });

  it('a DNS server that cannot be reached times out (glibc: 5s x 2 attempts)', () => {
    const r = resolveName(makeCtx(w, 'client', { busybox: false, connect: 'timeout' }), 'my-svc');
    expect(r).toMatchObject({ error: 'timeout', elapsedMs: 10_000 });
    const m = resolveName(makeCtx(w, 'client', { busybox: true, connect: 'timeout' }), 'my-svc');
    expect(m).toMatchObject({ error: 'timeout', elapsedMs: 5_000 });
  });

  it('no Ready CoreDNS pod: queries go unanswered', () => {
    const w2 = makeWorld({ corednsReady: false });
    expect(resolveName(makeCtx(w2, 'client'), 'my-svc')).toMatchObject({ error: 'timeout' });
  });
});
