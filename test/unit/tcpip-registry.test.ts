// What doctor says about Windows TCP/IP registry values. One test per
// documented fact tcpdiag relies on; each names its source (ids as in
// src/explain/tcpip-registry-sources.ts and WINDOWS-TCPIP-REGISTRY.md, where
// the URLs are). A value at a documented bound gives no range finding, one
// step past it does, so each test fails if the table drifts from the page.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeTcpipParameters } from '../../src/explain/tcpip-registry.js';
import { SOURCES } from '../../src/explain/tcpip-registry-sources.js';
import { TCPIP_FACTS } from '../../src/explain/tcpip-registry-facts.js';
import { decodeText } from '../../src/input/read-captured.js';
import { parseRegistryText, type RegistryValue } from '../../src/os/parse/windows-registry.js';
import { keepaliveFromRegistry, readTcpipDword } from '../../src/os/windows/tcpip-values.js';
import { FIXTURES } from '../helpers/fixtures.js';

const KEY = 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters';
const AFD = 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\AFD\\Parameters';
const GUID = `${KEY}\\Interfaces\\{7d3c4f1e-0f4e-4e8a-9d52-3c1b2a5e6f70}`;

const dword = (name: string, data: number, key = KEY): RegistryValue => ({ key, name, type: 'REG_DWORD', data, line: 1 });
/** The one finding for one value, or null. */
const judge = (v: RegistryValue) => {
  const { findings } = judgeTcpipParameters([v]);
  expect(findings.length).toBeLessThanOrEqual(1);
  return findings[0] ?? null;
};
const code = (v: RegistryValue) => judge(v)?.code ?? null;

describe('documented ranges, one fact per test', () => {
  it('TcpTimedWaitDelay: 30-300 [W2K-TTWD], 0-300 [WS03-TTWD], 2-300 from 2012 R2 / 8.1 [BTS-NET]; defaults 240 [W2K-TTWD] and 120 [WS03-TTWD, BTS-NET]', () => {
    const f = judge(dword('TcpTimedWaitDelay', 0xffffffff))!;
    expect(f.code).toBe('tcpip-value-out-of-range');
    expect(f.message).toMatch(/30-300 \(Windows 2000 reference/);
    expect(f.message).toMatch(/0-300 \(Server 2003 reference\)/);
    expect(f.message).toMatch(/2-300 \(BizTalk guide, Windows Server 2012 R2/);
    expect(f.message).toMatch(/240 seconds .* or 120 seconds/);
    expect(f.message).toMatch(/not documented/);
    expect(f.remedy).toEqual([`reg delete "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters" /v TcpTimedWaitDelay /f`]);
    // Inside 0-300 and 2-300, outside 30-300: the pages disagree, and the finding says so.
    expect(code(dword('TcpTimedWaitDelay', 15))).toBe('tcpip-value-disputed');
    expect(code(dword('TcpTimedWaitDelay', 301))).toBe('tcpip-value-out-of-range');
    expect(code(dword('TcpTimedWaitDelay', 120))).toBeNull();
  });

  it('MaxUserPort: 5000-65534, default 5000 [KB196271]; superseded by the dynamic range 49152-65535 [KB929851]; Windows 11 measurement is third party [NMAP-3499]', () => {
    expect(code(dword('MaxUserPort', 0x65534))).toBe('tcpip-value-out-of-range');
    expect(code(dword('MaxUserPort', 4999))).toBe('tcpip-value-out-of-range');
    const f = judge(dword('MaxUserPort', 65534))!;
    expect(f.code).toBe('tcpip-value-superseded');
    expect(f.message).toMatch(/49152-65535/);
    expect(f.message).toMatch(/no Microsoft page says MaxUserPort is ignored/);
    expect(f.message).toMatch(/third party/);
  });

  it('KeepAliveTime: 1-0xFFFFFFFF ms, default 7,200,000 [W2K-KAT, SIO-KA]; 0 is below the range', () => {
    expect(code(dword('KeepAliveTime', 0))).toBe('tcpip-value-out-of-range');
    expect(code(dword('KeepAliveTime', 7_200_000))).toBeNull();
    const f = judge(dword('KeepAliveTime', 0xffffffff))!;
    expect(f.code).toBe('tcpip-value-changed');
    expect(f.message).toMatch(/50 days/);
  });

  it('KeepAliveInterval: 1-0xFFFFFFFF ms, default 1000 [W2K-KAI, SIO-KA]', () => {
    expect(code(dword('KeepAliveInterval', 0))).toBe('tcpip-value-out-of-range');
    expect(code(dword('KeepAliveInterval', 1000))).toBeNull();
  });

  it('TcpMaxDataRetransmissions: 0-0xFFFFFFFF, default 5 [W2K-TMDR]: 0xff is valid, and changed', () => {
    expect(code(dword('TcpMaxDataRetransmissions', 0xff))).toBe('tcpip-value-changed');
    expect(code(dword('TcpMaxDataRetransmissions', 5))).toBeNull();
  });

  it('TcpMaxConnectRetransmissions: 0-255, default 2 [W2K-TMCR]', () => {
    expect(code(dword('TcpMaxConnectRetransmissions', 256))).toBe('tcpip-value-out-of-range');
    expect(code(dword('TcpMaxConnectRetransmissions', 255))).toBe('tcpip-value-changed');
  });

  it('TcpNumConnections: 0-0xFFFFFE [WMI-TNC]; the default 0xFFFFFE is third party [SMALLVOID]', () => {
    expect(code(dword('TcpNumConnections', 0xffffff))).toBe('tcpip-value-out-of-range');
    expect(code(dword('TcpNumConnections', 0xfffffe))).toBeNull();
    expect(judge(dword('TcpNumConnections', 0xffffffff))!.message).toMatch(/smallvoid\.com, third party/);
  });

  it('EnablePMTUDiscovery: 0 or 1, default 1 [W2K-PMTU]; 0 means 576-byte packets off the subnet; whether Vista+ ignores it is unknown [NETRO]', () => {
    const f = judge(dword('EnablePMTUDiscovery', 0xff))!;
    expect(f.code).toBe('tcpip-value-out-of-range');
    expect(f.message).toMatch(/Whether Windows Vista \/ Server 2008 and later read it is not documented: .*so whether they ignore it is not known \(Microsoft netro blog\)\.$/);
    expect(judge(dword('EnableDeadGWDetect', 2))!.message).toMatch(/so whether they ignore it is not known/);
    expect(code(dword('EnablePMTUDiscovery', 0))).toBe('tcpip-value-changed');
    expect(judge(dword('EnablePMTUDiscovery', 0))!.message).toMatch(/576-byte/);
  });

  it('TcpFinWait2Delay: no documented range found [KB813056 is a hotfix note only]: not judged', () => {
    expect(judge(dword('TcpFinWait2Delay', 30))).toMatchObject({ code: 'tcpip-value-not-judged', remedy: [] });
  });

  it('SynAttackProtect, TcpMaxHalfOpen, TcpMaxHalfOpenRetried, TcpMaxPortsExhausted: no effect from Vista on [NETRO, NETTRACER]', () => {
    for (const name of ['SynAttackProtect', 'TcpMaxHalfOpen', 'TcpMaxHalfOpenRetried', 'TcpMaxPortsExhausted']) {
      expect(judge(dword(name, 1))!.message, name).toMatch(/Vista .* ignore it: SYN-attack protection is always on/);
    }
    // SynAttackProtect 2 (KB810382 discusses it) is outside the 0|1 the references list [W2K-SAP].
    expect(judge(dword('SynAttackProtect', 2))!.message).toMatch(/also outside the range older Windows documented: 0-1/);
  });

  it('TcpWindowSize, NumTcbTablePartitions, MaxHashTableSize: "no longer supported" after Server 2003 [PERF-NIC]; TcpWindowSize ranges disagree [KB224829, WS03-TWS, WMI-TWS]', () => {
    for (const name of ['TcpWindowSize', 'NumTcbTablePartitions', 'MaxHashTableSize']) expect(code(dword(name, 8)), name).toBe('tcpip-value-ignored');
    expect(judge(dword('TcpWindowSize', 0x40000000))!.message).toMatch(/0-1073725440 \(KB224829\), 0-1073741823 \(Server 2003 reference\), 0-65535 \(WMI SetTcpWindowSize/);
  });

  it('EnableConnectionRateLimiting: KB969710 gives only 1 (the half-open limit of 10 on), for Vista SP2 / 2008 SP2 only; no range, not documented for 8+', () => {
    const on = judge(dword('EnableConnectionRateLimiting', 1))!;
    expect(on).toMatchObject({ code: 'tcpip-value-changed', severity: 'info' });
    expect(on.message).toBe(
      'EnableConnectionRateLimiting is 0x1 (1): Microsoft documents only the value 1, which turns on the limit of 10 half-open outbound connections (without the value the limit is off), and only for Windows Vista SP2 / Server 2008 SP2; it is not documented for Windows 8 and later (KB969710). Deleting it (elevated prompt) turns it off.',
    );
    expect(on.message).not.toMatch(/range/);
    // Any other value: what Windows does with it is not documented (no "range 0-1" the page never gives).
    for (const n of [0, 2]) {
      expect(judge(dword('EnableConnectionRateLimiting', n)), String(n)).toMatchObject({ code: 'tcpip-value-not-judged', severity: 'info', remedy: [] });
      expect(judgeTcpipParameters([dword('EnableConnectionRateLimiting', n)]).notJudged).toEqual([`whether EnableConnectionRateLimiting = 0x${n} (${n}) is valid: Microsoft documents only the value 1 (KB969710)`]);
    }
  });

  it('TcpAckFrequency: only under Interfaces\\{GUID}; "Valid Range: 0-255" and "0 ... is treated as the default, 2" on one page [KB328890]', () => {
    expect(judge(dword('TcpAckFrequency', 1, `${KEY}\\Interfaces`))!.code).toBe('tcpip-value-misplaced');
    expect(judge(dword('TcpAckFrequency', 1, KEY))!.message).toMatch(/documents it only under Tcpip\\Parameters\\Interfaces\\\{interface GUID\}/);
    const zero = judge(dword('TcpAckFrequency', 0, GUID))!;
    expect(zero.code).toBe('tcpip-value-disputed');
    expect(zero.message).toMatch(/0 is treated as the default, 2 \(KB328890\)/);
    expect(code(dword('TcpAckFrequency', 256, GUID))).toBe('tcpip-value-out-of-range');
    expect(code(dword('TcpAckFrequency', 2, GUID))).toBeNull();
  });

  it('TcpDelAckTicks: 0-6 ticks under Interfaces\\{GUID} [W2K-TDAT]', () => {
    expect(code(dword('TcpDelAckTicks', 7, GUID))).toBe('tcpip-value-out-of-range');
    expect(code(dword('TcpDelAckTicks', 6, GUID))).toBeNull();
  });

  it('TcpInitialRTT: hard-coded at 3 s from Vista on [NETRO]', () => {
    expect(judge(dword('TcpInitialRTT', 2, GUID))!.message).toMatch(/hard-coded at 3 seconds/);
  });

  it('EnableDynamicBacklog and its three siblings: AFD\\Parameters [PAP-WEBSEC], removed as of Server 2008 [NETTRACER]', () => {
    expect(judge(dword('EnableDynamicBacklog', 1, AFD))).toMatchObject({ code: 'tcpip-value-ignored' });
    expect(judge(dword('MaximumDynamicBacklog', 20000, KEY))).toMatchObject({ code: 'tcpip-value-misplaced' });
  });

  it('Tcp1323Opts 0-3, SackOpts 0-1, TcpMaxDupAcks 1-3 [KB224829]; MaxFreeTcbs 0-0xFFFFFFFF [W2K-MFT]', () => {
    expect(code(dword('Tcp1323Opts', 4))).toBe('tcpip-value-out-of-range');
    expect(code(dword('SackOpts', 2))).toBe('tcpip-value-out-of-range');
    expect(code(dword('TcpMaxDupAcks', 0))).toBe('tcpip-value-out-of-range');
    expect(code(dword('MaxFreeTcbs', 0xffff))).toBeNull();
  });

  it('every source a fact cites is listed with a URL', () => {
    for (const f of TCPIP_FACTS) {
      const ids = [...f.ranges.map((r) => r.source), ...f.defaults.map((d) => d.source), ...(f.modern?.sources ?? [])];
      for (const id of ids) expect(SOURCES[id]?.url, `${f.name}: ${id}`).toMatch(/^https?:\/\//);
    }
  });
});

describe('values of the wrong type, in the wrong key, deleted, or unknown', () => {
  it('a REG_SZ where a REG_DWORD is documented', () => {
    const f = judge({ key: KEY, name: 'TcpTimedWaitDelay', type: 'REG_SZ', data: '30', line: 1 })!;
    expect(f.code).toBe('tcpip-value-wrong-type');
    expect(f.message).toMatch(/REG_SZ "30", documented as a REG_DWORD/);
  });

  it('names compare case-insensitively, as the registry does', () => {
    expect(code(dword('TCPTimedWaitDelay', 0xffffffff))).toBe('tcpip-value-out-of-range');
  });

  it('a value a .reg file deletes, and values tcpdiag has no documentation for, give no finding', () => {
    expect(judgeTcpipParameters([{ key: KEY, name: 'TcpTimedWaitDelay', type: 'REG_NONE', data: null, deleted: true, line: 1 }]).findings).toEqual([]);
    expect(judgeTcpipParameters([{ key: KEY, name: 'Hostname', type: 'REG_SZ', data: 'x', line: 1 }])).toEqual({ findings: [], read: 1, judged: 0, notJudged: [], places: ['Tcpip\\Parameters'] });
  });

  // Within one input the later capture already replaced the earlier (input/later-captures.ts); what still reaches the
  // judge twice comes from two files, neither of them known to be the current one.
  it('two values of a name (two files) are each judged; the same value twice once', () => {
    expect(judgeTcpipParameters([dword('TcpTimedWaitDelay', 0xffffffff), dword('TcpTimedWaitDelay', 120)]).findings.map((f) => f.code)).toEqual(['tcpip-value-out-of-range']);
    expect(judgeTcpipParameters([dword('TcpTimedWaitDelay', 0xffffffff), dword('TcpTimedWaitDelay', 0xffffffff)]).findings).toHaveLength(1);
  });
});

describe('a real Windows 10 export (test/fixtures/windows-registry/SOURCES)', () => {
  it('finds the ignored, misplaced and unjudged values and remedies them on the running control set', () => {
    const text = decodeText(readFileSync(join(FIXTURES, 'windows-registry', 'win10-tweaked-controlset001-export.reg')))!;
    const j = judgeTcpipParameters(parseRegistryText(text).values);
    const codes = j.findings.map((f) => `${f.code} ${f.message.split(' ')[0]}`).sort();
    expect(codes).toEqual([
      'tcpip-value-changed TcpMaxDataRetransmissions',
      'tcpip-value-changed TcpTimedWaitDelay',
      'tcpip-value-ignored MaxHashTableSize',
      'tcpip-value-ignored NumTcbTablePartitions',
      'tcpip-value-ignored SynAttackProtect',
      'tcpip-value-misplaced TcpAckFrequency',
      'tcpip-value-misplaced TcpDelAckTicks',
      'tcpip-value-not-judged EnableConnectionRateLimiting',
      'tcpip-value-not-judged GlobalMaxTcpWindowSize',
      'tcpip-value-not-judged TcpFinWait2Delay',
      'tcpip-value-superseded MaxUserPort',
    ]);
    for (const f of j.findings) for (const r of f.remedy) expect(r).toMatch(/^reg delete "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters/);
    // The values without a documented range are not judged, and said so in the envelope's notJudged, one sentence each.
    expect(j.notJudged).toEqual([
      'whether EnableConnectionRateLimiting = 0x0 (0) is valid: Microsoft documents only the value 1 (KB969710)',
      'whether GlobalMaxTcpWindowSize = 0x0 (0 bytes) is valid: Microsoft documents no range for it',
      'whether TcpFinWait2Delay = 0x1e (30 seconds) is valid: Microsoft documents no range for it',
    ]);
  });
});

describe('what is not judged, for the envelope', () => {
  it('a value the pages disagree on: one sentence naming the ranges that allow it and those that do not', () => {
    expect(judgeTcpipParameters([dword('TcpTimedWaitDelay', 15)]).notJudged).toEqual([
      'whether TcpTimedWaitDelay = 0xf (15 seconds) is valid: Microsoft\'s pages disagree (allowed by 0-300 (Server 2003 reference), 2-300 (BizTalk guide, Windows Server 2012 R2 / Windows 8.1 and later); not by 30-300 (Windows 2000 reference; BizTalk guide, Windows Server 2012 / Windows 8 and earlier))',
    ]);
  });

  it('values judged either way leave nothing unjudged', () => {
    expect(judgeTcpipParameters([dword('TcpTimedWaitDelay', 0xffffffff), dword('TcpTimedWaitDelay', 120, `${KEY}\\x`)]).notJudged).toEqual([]);
  });
});

describe('keepalive defaults from the registry', () => {
  it('absent values: the documented 2 h idle and 1 s interval [SIO-KA, W2K-KAT, W2K-KAI], 10 probes fixed from Vista on [SIO-KA]', () => {
    expect(keepaliveFromRegistry({ values: [] }, 'reg query')).toMatchObject({ idleS: 7200, intervalS: 1, count: 10 });
  });

  it('set values, in milliseconds', () => {
    const v = keepaliveFromRegistry({ values: [dword('KeepAliveTime', 300_000), dword('KeepAliveInterval', 2000)] }, 'reg query');
    expect(v).toMatchObject({ idleS: 300, intervalS: 2, count: 10 });
  });

  it('a value of 0 or of another type: what Windows uses is not documented, so no numbers', () => {
    expect(keepaliveFromRegistry({ values: [dword('KeepAliveTime', 0)] }, 'q')).toEqual({ unknown: expect.stringMatching(/KeepAliveTime is 0, below its documented range/) });
    expect(keepaliveFromRegistry({ values: [{ key: KEY, name: 'KeepAliveInterval', type: 'REG_SZ', data: '1000', line: 1 }] }, 'q')).toEqual({ unknown: expect.stringMatching(/REG_SZ/) });
  });

  it("connect-race's question, EnableConnectionRateLimiting, read from a real Windows 10 export: 0 (the limit off) [KB969710]", () => {
    const text = decodeText(readFileSync(join(FIXTURES, 'windows-registry', 'win10-tweaked-controlset001-export.reg')))!;
    expect(readTcpipDword(parseRegistryText(text), 'EnableConnectionRateLimiting')).toEqual({ state: 'dword', value: 0, key: 'HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\Tcpip\\Parameters' });
  });

  it('readTcpipDword tells absent, DWORD and other types apart, in any control set', () => {
    const p = { values: [dword('EnableConnectionRateLimiting', 1, 'HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\Tcpip\\Parameters')] };
    expect(readTcpipDword(p, 'enableconnectionratelimiting')).toMatchObject({ state: 'dword', value: 1 });
    expect(readTcpipDword(p, 'KeepAliveTime')).toEqual({ state: 'absent' });
    expect(readTcpipDword({ values: [{ key: KEY, name: 'X', type: 'REG_SZ', data: '1', line: 1 }] }, 'X')).toMatchObject({ state: 'other', type: 'REG_SZ' });
  });
});
