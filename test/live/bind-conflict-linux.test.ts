// The Linux bind-conflict model (explain/bind-conflict-linux.ts) against the
// kernel: every row is built with real sockets in a fresh namespace (libc
// through koffi, so each socket's options are exactly the row's), and the
// row's listen is tried for real on the same port. The written expectation,
// the model and the kernel must all agree, so the model cannot drift from
// the kernel it explains.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeBindConflict, nodeListenSpec } from '../../src/explain/bind-conflict.js';
import type { ExistingSocket, ListenSpec } from '../../src/explain/bind-rule-types.js';
import { createNetns, skipWithoutNetns } from '../helpers/netns.js';
import { nodeInNetns } from '../helpers/node-in-netns.js';

const SCRIPT = join(__dirname, '..', 'helpers', 'scripts', 'bind-cases.cjs');

type Kind = 'listen' | 'bound' | 'client-established' | 'client-time-wait' | 'accepted-established' | 'accepted-time-wait';
interface Existing { kind: Kind; address: string; reuseAddr?: boolean; reusePort?: boolean; v6Only?: boolean; ephemeral?: boolean }
interface Listen { address: string; node?: true; reuseAddr?: boolean; reusePort?: boolean; v6Only?: boolean }
/** v6OnlyUnknown: the model is not told the existing socket's IPV6_V6ONLY, as no socket table shows it (the kernel side still sets it as `existing` says). */
interface Row { name: string; existing: Existing; listen: Listen; blocks: boolean; v6OnlyUnknown?: true }

const NODE = (address: string): Listen => ({ address, node: true });
const ROWS: Row[] = [
  { name: 'a Node server listening on 0.0.0.0 blocks a Node listen', existing: { kind: 'listen', address: '0.0.0.0', reuseAddr: true }, listen: NODE('0.0.0.0'), blocks: true },
  { name: 'two listeners that both set SO_REUSEPORT share the port', existing: { kind: 'listen', address: '0.0.0.0', reuseAddr: true, reusePort: true }, listen: { address: '0.0.0.0', reuseAddr: true, reusePort: true }, blocks: false },
  { name: 'a SO_REUSEPORT listener still blocks a Node listen (Node does not set it)', existing: { kind: 'listen', address: '0.0.0.0', reusePort: true }, listen: NODE('0.0.0.0'), blocks: true },
  { name: 'a listener on 127.0.0.1 leaves 127.0.0.2 free', existing: { kind: 'listen', address: '127.0.0.1', reuseAddr: true }, listen: NODE('127.0.0.2'), blocks: false },
  { name: 'a listener on 127.0.0.1 blocks the wildcard 0.0.0.0', existing: { kind: 'listen', address: '127.0.0.1', reuseAddr: true }, listen: NODE('0.0.0.0'), blocks: true },
  { name: 'a listener on 0.0.0.0 blocks 127.0.0.1', existing: { kind: 'listen', address: '0.0.0.0', reuseAddr: true }, listen: NODE('127.0.0.1'), blocks: true },
  { name: 'an ESTABLISHED client on its ephemeral port blocks a Node listen (seed: the client holds 43611)', existing: { kind: 'client-established', address: '127.0.0.1', ephemeral: true }, listen: NODE('0.0.0.0'), blocks: true },
  { name: 'an ESTABLISHED client that set SO_REUSEADDR (Node localPort) does not block a Node listen', existing: { kind: 'client-established', address: '127.0.0.1', reuseAddr: true }, listen: NODE('127.0.0.1'), blocks: false },
  { name: "a client's TIME_WAIT blocks a Node listen (seed: after the kill)", existing: { kind: 'client-time-wait', address: '127.0.0.1', ephemeral: true }, listen: NODE('0.0.0.0'), blocks: true },
  { name: "a client's TIME_WAIT blocks 127.0.0.1 too", existing: { kind: 'client-time-wait', address: '127.0.0.1', ephemeral: true }, listen: NODE('127.0.0.1'), blocks: true },
  { name: 'a TIME_WAIT of a client that set SO_REUSEADDR does not block a Node listen', existing: { kind: 'client-time-wait', address: '127.0.0.1', reuseAddr: true }, listen: NODE('0.0.0.0'), blocks: false },
  { name: "a TIME_WAIT of a Node server's accepted socket does not block a Node listen", existing: { kind: 'accepted-time-wait', address: '0.0.0.0', reuseAddr: true }, listen: NODE('0.0.0.0'), blocks: false },
  { name: 'a TIME_WAIT of an accepted socket whose server did not set SO_REUSEADDR blocks a Node listen', existing: { kind: 'accepted-time-wait', address: '0.0.0.0' }, listen: NODE('0.0.0.0'), blocks: true },
  { name: "a server without SO_REUSEADDR is blocked by a Node server's TIME_WAIT", existing: { kind: 'accepted-time-wait', address: '0.0.0.0', reuseAddr: true }, listen: { address: '0.0.0.0' }, blocks: true },
  { name: 'a TIME_WAIT with SO_REUSEPORT lets a SO_REUSEPORT listen through', existing: { kind: 'client-time-wait', address: '127.0.0.1', reusePort: true }, listen: { address: '127.0.0.1', reusePort: true }, blocks: false },
  { name: 'an accepted connection outliving its stopped Node server does not block a Node listen', existing: { kind: 'accepted-established', address: '0.0.0.0', reuseAddr: true }, listen: NODE('0.0.0.0'), blocks: false },
  { name: 'a bound socket that never listened, without SO_REUSEADDR, blocks', existing: { kind: 'bound', address: '127.0.0.1' }, listen: NODE('127.0.0.1'), blocks: true },
  { name: 'a bound socket with SO_REUSEADDR does not block a Node listen', existing: { kind: 'bound', address: '127.0.0.1', reuseAddr: true }, listen: NODE('127.0.0.1'), blocks: false },
  { name: 'an IPv6-only listener on [::] leaves 0.0.0.0 free', existing: { kind: 'listen', address: '::', reuseAddr: true, v6Only: true }, listen: NODE('0.0.0.0'), blocks: false },
  { name: 'a dual-stack listener on [::] blocks 0.0.0.0', existing: { kind: 'listen', address: '::', reuseAddr: true, v6Only: false }, listen: NODE('0.0.0.0'), blocks: true },
  { name: 'a listener on 0.0.0.0 blocks a dual-stack Node listen on [::]', existing: { kind: 'listen', address: '0.0.0.0', reuseAddr: true }, listen: NODE('::'), blocks: true },
  { name: 'a listener on 0.0.0.0 leaves an IPv6-only [::] free', existing: { kind: 'listen', address: '0.0.0.0', reuseAddr: true }, listen: { address: '::', reuseAddr: true, v6Only: true }, blocks: false },
  { name: 'a listener on [::1] that is not IPv6-only leaves 0.0.0.0 free', existing: { kind: 'listen', address: '::1', reuseAddr: true, v6Only: false }, listen: NODE('0.0.0.0'), blocks: false },
  { name: 'an IPv6-only listener on [::1] leaves 0.0.0.0 free', existing: { kind: 'listen', address: '::1', reuseAddr: true, v6Only: true }, listen: NODE('0.0.0.0'), blocks: false },
  { name: 'a listener on 127.0.0.1 blocks the IPv4-mapped ::ffff:127.0.0.1', existing: { kind: 'listen', address: '127.0.0.1', reuseAddr: true }, listen: NODE('::ffff:127.0.0.1'), blocks: true },
  { name: 'a listener on 127.0.0.1 leaves [::1] free', existing: { kind: 'listen', address: '127.0.0.1', reuseAddr: true }, listen: NODE('::1'), blocks: false },
  { name: 'an ESTABLISHED IPv6 client on [::1] blocks a dual-stack Node listen on [::]', existing: { kind: 'client-established', address: '::1', ephemeral: true, v6Only: false }, listen: NODE('::'), blocks: true },
  // An IPv4-mapped socket cannot be IPv6-only (the kernel refuses the bind, see below): the model
  // knows that without being told, and judges it as the IPv4 address it carries.
  ...MAPPED([
    { name: 'a listener on ::ffff:127.0.0.1 blocks 127.0.0.1', existing: { kind: 'listen', address: '::ffff:127.0.0.1', reuseAddr: true }, listen: NODE('127.0.0.1'), blocks: true },
    { name: 'a listener on ::ffff:127.0.0.1 blocks the wildcard 0.0.0.0', existing: { kind: 'listen', address: '::ffff:127.0.0.1', reuseAddr: true }, listen: NODE('0.0.0.0'), blocks: true },
    { name: 'a listener on ::ffff:127.0.0.1 blocks a dual-stack Node listen on [::]', existing: { kind: 'listen', address: '::ffff:127.0.0.1', reuseAddr: true }, listen: NODE('::'), blocks: true },
    { name: 'a listener on ::ffff:127.0.0.1 leaves an IPv6-only [::] free', existing: { kind: 'listen', address: '::ffff:127.0.0.1', reuseAddr: true }, listen: { address: '::', reuseAddr: true, v6Only: true }, blocks: false },
    { name: 'a listener on ::ffff:127.0.0.1 leaves 127.0.0.2 free', existing: { kind: 'listen', address: '::ffff:127.0.0.1', reuseAddr: true }, listen: NODE('127.0.0.2'), blocks: false },
    { name: 'a listener on ::ffff:127.0.0.1 leaves [::1] free', existing: { kind: 'listen', address: '::ffff:127.0.0.1', reuseAddr: true }, listen: NODE('::1'), blocks: false },
    { name: 'a listener on ::ffff:0.0.0.0 blocks 127.0.0.1', existing: { kind: 'listen', address: '::ffff:0.0.0.0', reuseAddr: true }, listen: NODE('127.0.0.1'), blocks: true },
    { name: 'a listener on ::ffff:0.0.0.0 leaves an IPv6-only [::] free', existing: { kind: 'listen', address: '::ffff:0.0.0.0', reuseAddr: true }, listen: { address: '::', reuseAddr: true, v6Only: true }, blocks: false },
    { name: 'a socket bound to ::ffff:127.0.0.1 without SO_REUSEADDR blocks 127.0.0.1', existing: { kind: 'bound', address: '::ffff:127.0.0.1' }, listen: NODE('127.0.0.1'), blocks: true },
  ]),
];

function MAPPED(rows: Row[]): Row[] {
  return rows.map((r) => ({ ...r, v6OnlyUnknown: true }));
}

function existingSocket(e: Existing): ExistingSocket {
  const family = e.address.includes(':') ? 'ipv6' : 'ipv4';
  const state = e.kind === 'listen' ? 'LISTEN' : e.kind === 'bound' ? 'BOUND' : e.kind.endsWith('time-wait') ? 'TIME_WAIT' : 'ESTABLISHED';
  const connected = state !== 'LISTEN' && state !== 'BOUND';
  return {
    family,
    local: { address: e.address, port: 21000 },
    remote: connected ? { address: family === 'ipv6' ? '::1' : '127.0.0.1', port: 5000 } : { address: family === 'ipv6' ? '::' : '0.0.0.0', port: 0 },
    state,
    reuseAddr: e.reuseAddr ?? false,
    reusePort: e.reusePort ?? false,
    v6Only: family === 'ipv6' ? (e.v6Only ?? false) : false,
    exclusiveAddrUse: false,
    sameUser: true,
    userMayShare: true,
    user: null,
  };
}

function listenSpec(l: Listen): ListenSpec {
  if (l.node) return nodeListenSpec('linux', l.address, l.address === '::');
  return { family: l.address.includes(':') ? 'ipv6' : 'ipv4', address: l.address, reuseAddr: l.reuseAddr ?? false, reusePort: l.reusePort ?? false, v6Only: l.v6Only ?? false, exclusiveAddrUse: false, description: 'a raw listen' };
}

describe.skipIf(process.platform !== 'linux' || skipWithoutNetns())('Linux bind conflicts: model = kernel (skip reason printed above)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tdg-bind-cases-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every row: the model, the written expectation and a real listen agree', () => {
    const file = join(dir, 'cases.json');
    writeFileSync(file, JSON.stringify(ROWS.map((r) => ({ name: r.name, existing: { ...r.existing, family: r.existing.address.includes(':') ? 'ipv6' : 'ipv4' }, listen: { ...r.listen, family: r.listen.address.includes(':') ? 'ipv6' : 'ipv4' } }))));
    const kernel: Array<{ name: string; ok: boolean; code: string | null }> = nodeInNetns(createNetns(), SCRIPT, { args: [file] });
    const got = ROWS.map((r, i) => {
      const e = existingSocket(r.existing);
      const model = judgeBindConflict('linux', r.v6OnlyUnknown ? { ...e, v6Only: null } : e, listenSpec(r.listen));
      return { name: r.name, expected: r.blocks ? 'blocks' : 'free', model: model.blocks === 'yes' ? 'blocks' : model.blocks === 'no' ? 'free' : 'depends', kernel: kernel[i]!.ok ? 'free' : kernel[i]!.code === 'EADDRINUSE' ? 'blocks' : kernel[i]!.code };
    });
    expect(got).toEqual(ROWS.map((r) => ({ name: r.name, expected: r.blocks ? 'blocks' : 'free', model: r.blocks ? 'blocks' : 'free', kernel: r.blocks ? 'blocks' : 'free' })));
  });

  it('the kernel refuses to bind an IPv4-mapped address on an IPv6-only socket (EINVAL), and binds it on one that is not', () => {
    const code = `
      const koffi = require('koffi');
      const lib = koffi.load('libc.so.6');
      const socket = lib.func('int socket(int, int, int)');
      const setsockopt = lib.func('int setsockopt(int, int, int, const void *, uint32_t)');
      const bind = lib.func('int bind(int, const void *, uint32_t)');
      const close = lib.func('int close(int)');
      const out = {};
      for (const address of ['::ffff:127.0.0.1', '::ffff:0.0.0.0']) {
        for (const v6Only of [1, 0]) {
          const fd = socket(10, 1, 0);
          const on = Buffer.alloc(4); on.writeInt32LE(v6Only);
          setsockopt(fd, 41, 26, on, 4);
          const sa = Buffer.alloc(28); sa.writeUInt16LE(10, 0); sa.writeUInt16BE(21900, 2);
          sa.writeUInt16BE(0xffff, 18); address.slice(7).split('.').forEach((x, i) => (sa[20 + i] = Number(x)));
          out[address + (v6Only ? ' v6only' : ' dual')] = bind(fd, sa, 28) < 0 ? koffi.errno() : 0;
          close(fd);
        }
      }
      process.stdout.write(JSON.stringify(out));`;
    expect(nodeInNetns(createNetns(), code)).toEqual({ '::ffff:127.0.0.1 v6only': 22, '::ffff:127.0.0.1 dual': 0, '::ffff:0.0.0.0 v6only': 22, '::ffff:0.0.0.0 dual': 0 });
  });

  it('an unknown SO_REUSEADDR on a TIME_WAIT makes the answer depend on it, and says so', () => {
    const tw = { ...existingSocket({ kind: 'client-time-wait', address: '127.0.0.1' }), reuseAddr: null };
    const j = judgeBindConflict('linux', tw, nodeListenSpec('linux', '0.0.0.0', false));
    expect(j).toMatchObject({ blocks: 'depends', dependsOn: ['whether the program that opened it set SO_REUSEADDR'] });
    expect(j.because).toMatch(/did not set SO_REUSEADDR/);
  });
});
