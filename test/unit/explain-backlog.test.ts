// What each OS does with a full accept queue, and when an observation differs.
import { describe, expect, it } from 'vitest';
import { expectBacklog, explainBacklog } from '../../src/explain/backlog.js';

const observed = { requested: 1, effective: 1, somaxconn: 4096, queued: 2, synSent: 3, refused: 0, observedQueueCapacity: 2, overflowDelta: 6, connectedNotAccepted: 0, syncookies: 1 };

describe('backlog expectations per OS', () => {
  it('Linux: backlog+1 in the queue, further SYNs dropped', () => {
    expect(expectBacklog('linux', 1)).toMatchObject({ queueCapacity: 2, beyond: 'dropped' });
  });
  it('Windows: refused at once (RST)', () => {
    expect(expectBacklog('win32', 1)).toMatchObject({ queueCapacity: null, beyond: 'refused' });
  });
  it('macOS and FreeBSD: about 1.5 x backlog', () => {
    expect(expectBacklog('darwin', 4).queueCapacity).toBe(6);
    expect(expectBacklog('freebsd', 10).queueCapacity).toBe(15);
  });
  it('says when Linux behaved as documented', () => {
    expect(explainBacklog('linux', observed, expectBacklog('linux', 1)).map((f) => f.code)).toEqual(['backlog-as-expected', 'backlog-on-real-servers']);
  });
  it('says when what was seen differs (refusals where drops were expected)', () => {
    const f = explainBacklog('linux', { ...observed, synSent: 0, refused: 3 }, expectBacklog('linux', 1));
    expect(f[0]).toMatchObject({ code: 'backlog-differs-from-expected', severity: 'warning' });
  });
  it('explains a connect the server never accepted with SYN cookies on', () => {
    const f = explainBacklog('linux', { ...observed, connectedNotAccepted: 1 }, expectBacklog('linux', 1));
    expect(f[1]).toMatchObject({ code: 'connected-but-not-accepted', severity: 'info' });
    expect(f[1]!.message).toMatch(/^1 client saw its connect complete, but the server never accepted it: with SYN cookies on/);
  });

  it('Windows refusals match its expectation', () => {
    const f = explainBacklog('win32', { ...observed, synSent: 0, refused: 3, somaxconn: null, overflowDelta: null }, expectBacklog('win32', 1));
    expect(f[0]!.code).toBe('backlog-as-expected');
  });
});
