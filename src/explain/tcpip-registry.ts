// doctor's check of the Windows TCP/IP registry values: each documented value
// that is set is held against what Microsoft documents (tcpip-registry-facts):
// outside every documented range, of another type than REG_DWORD, in a key the
// driver does not read, or one that modern Windows ignores, is a finding that
// says what Windows does with it (where documented, otherwise that it is not
// documented) and how to restore the default. A value without a documented
// range, or one the pages disagree on, is only info, and is said in notJudged
// (one sentence each). Values the facts do not know are counted, not judged.

import type { RegistryValue } from '../os/parse/windows-registry.js';
import { locateTcpipKey, remedyKey, type TcpipKey } from '../os/windows/tcpip-values.js';
import type { Finding } from '../report/types.js';
import { formatSeconds } from '../text/words.js';
import { tcpipFact, type Documented, type TcpipFact, type TcpipPlace } from './tcpip-registry-facts.js';
import { sourceName, type SourceId } from './tcpip-registry-sources.js';

export interface TcpipJudgement {
  findings: Finding[];
  /** Values read under the TCP/IP keys. */
  read: number;
  /** Of those, values tcpdiag has documentation for (and so judged). */
  judged: number;
  /** Documented values whose validity the documentation does not settle: one sentence each, for the envelope. */
  notJudged: string[];
  /** The keys the values read lie in, in words ("Tcpip\Parameters", "AFD\Parameters", ...), in a fixed order. */
  places: string[];
}

const PLACE_WORDS: Record<TcpipKey, string> = { Parameters: 'Tcpip\\Parameters', Interfaces: 'Tcpip\\Parameters\\Interfaces', Interface: 'Tcpip\\Parameters\\Interfaces', Tcpip6: 'Tcpip6\\Parameters', AFD: 'AFD\\Parameters' };

const PLACE_KEY: Record<TcpipPlace, string> = {
  Parameters: 'Tcpip\\Parameters',
  Interface: 'Tcpip\\Parameters\\Interfaces\\{interface GUID}',
  AFD: 'AFD\\Parameters',
};
const KEY_WORDS: Record<TcpipKey, string> = { ...PLACE_KEY, Interfaces: 'Tcpip\\Parameters\\Interfaces (no interface GUID)', Tcpip6: 'Tcpip6\\Parameters' };

export function judgeTcpipParameters(values: readonly RegistryValue[]): TcpipJudgement {
  const findings: Finding[] = [];
  const notJudged: string[] = [];
  let read = 0;
  let judged = 0;
  const places = new Set<string>();
  for (const v of latestPerName(values)) {
    const where = locateTcpipKey(v.key);
    if (where === null) continue;
    read++;
    places.add(PLACE_WORDS[where]);
    const fact = tcpipFact(v.name);
    if (!fact) continue;
    judged++;
    const finding = judgeOne(v, where, fact);
    if (finding) findings.push(finding);
    const open = finding && unsettled(v, fact, finding.code);
    if (open) notJudged.push(open);
  }
  const order = Object.values(PLACE_WORDS);
  return { findings, read, judged, notJudged, places: [...places].sort((a, b) => order.indexOf(a) - order.indexOf(b)) };
}

/**
 * A paste may hold a key twice (two runs); the last value of a name in a key is the one in force. Two files that
 * give a name different values (--from reads each input's later captures only) are each judged: which one is in
 * force is not known, and the input's notJudged says so (input/parse-captured.ts).
 */
function latestPerName(values: readonly RegistryValue[]): RegistryValue[] {
  const last = new Map<string, RegistryValue>();
  for (const v of values) last.set(`${v.key.toLowerCase()}\0${v.name.toLowerCase()}\0${v.deleted ? '-' : JSON.stringify(v.data)}`, v);
  return [...last.values()].filter((v) => !v.deleted);
}

function judgeOne(v: RegistryValue, where: TcpipKey, fact: TcpipFact): Finding | null {
  const name = fact.name;
  const del = [`reg delete "${remedyKey(v.key)}" /v ${v.name} /f`];
  if (where !== fact.place) {
    const own = fact.place === 'Interface' ? "; set it under the interface's own {GUID} subkey instead" : '';
    return {
      code: 'tcpip-value-misplaced',
      severity: 'warning',
      message: `${name} is set under ${KEY_WORDS[where]}, but Microsoft documents it only under ${PLACE_KEY[fact.place]}: where it is, it has no documented effect${own}`,
      remedy: del,
    };
  }
  if (v.type !== 'REG_DWORD' || typeof v.data !== 'number') {
    const data = v.data === null ? 'without readable data' : JSON.stringify(v.data);
    return { code: 'tcpip-value-wrong-type', severity: 'warning', message: `${name} is a ${v.type} ${data}, documented as a REG_DWORD: what Windows does with another type is not documented. ${restore(fact)}`, remedy: del };
  }
  const n = v.data;
  const shown = show(n, fact.unit);
  const inside = fact.ranges.filter((r) => n >= r.min && n <= r.max);
  const outside = fact.ranges.filter((r) => n < r.min || n > r.max);
  const does = fact.does ? ` It sets ${fact.does}.` : '';
  if (fact.modern?.kind === 'ignored') {
    const old = inside.length === 0 && outside.length > 0 ? ` It is also outside the range older Windows documented: ${ranges(fact.ranges)}.` : '';
    return {
      code: 'tcpip-value-ignored',
      severity: 'info',
      message: `${name} is ${shown}, and Windows Vista / Server 2008 and later ignore it: ${fact.modern.text} (${names(fact.modern.sources)}).${old} Delete it so nobody relies on it.`,
      remedy: del,
    };
  }
  const later =
    fact.modern?.kind === 'superseded'
      ? ` Later Windows: ${fact.modern.text} (${names(fact.modern.sources)}).`
      : fact.modern?.kind === 'unknown'
        ? ` Whether Windows Vista / Server 2008 and later read it is not documented: ${fact.modern.text} (${names(fact.modern.sources)}).`
        : '';
  // Only a superseded value that is otherwise valid is a finding of its own; an unknown fate is said beside the rest.
  const superseded = fact.modern?.kind === 'superseded' ? later : '';
  if (fact.only) {
    // Documented as one setting, not a range: that value is said as the page says it; any other is not judged.
    const said = `${fact.only.text} (${sourceName(fact.only.source)}).`;
    if (n === fact.only.value) return { code: 'tcpip-value-changed', severity: 'info', message: `${name} is ${shown}: ${said} Deleting it (elevated prompt) turns it off.`, remedy: del };
    return { code: 'tcpip-value-not-judged', severity: 'info', message: `${name} is ${shown}: ${said} What Windows does with ${n} is not documented, so it is not judged.`, remedy: [] };
  }
  if (fact.ranges.length === 0) {
    return { code: 'tcpip-value-not-judged', severity: 'info', message: `${name} is ${shown}: no documented range was found, so it is not judged.${later}`, remedy: [] };
  }
  if (inside.length === 0) {
    const what = fact.outside ? `Documented: ${fact.outside.text} (${sourceName(fact.outside.source)}).` : 'What Windows does with it is not documented.';
    return { code: 'tcpip-value-out-of-range', severity: 'warning', message: `${name} is ${shown}, outside its documented range ${ranges(fact.ranges)}.${does} ${what} ${restore(fact)}${later}`, remedy: del };
  }
  if (outside.length > 0) {
    const what = fact.outside ? `Documented: ${fact.outside.text} (${sourceName(fact.outside.source)}).` : 'Which one this Windows follows is not documented.';
    return { code: 'tcpip-value-disputed', severity: 'info', message: `${name} is ${shown}: Microsoft's documentation disagrees whether that is valid: inside ${ranges(inside)}, outside ${ranges(outside)}. ${what} ${restore(fact)}${later}`, remedy: del };
  }
  if (superseded) return { code: 'tcpip-value-superseded', severity: 'info', message: `${name} is ${shown}, inside its documented range ${ranges(fact.ranges)}.${superseded} ${restore(fact)}`, remedy: del };
  // Valid but changed: worth knowing in an incident (a connect that retries
  // 255 SYNs is valid), so said where the page tells what the value does.
  const defaults = new Set(fact.defaults.map((d) => d.value));
  if (fact.does && defaults.size > 0 && !defaults.has(n)) {
    return { code: 'tcpip-value-changed', severity: 'info', message: `${name} is ${shown}, inside its documented range ${ranges(fact.ranges)} but not the default.${does} ${restore(fact)}${later}`, remedy: del };
  }
  return null;
}

/** The notJudged sentence of a value no documented range settles: none documented, or the pages disagree. */
function unsettled(v: RegistryValue, fact: TcpipFact, code: string): string | null {
  if (typeof v.data !== 'number') return null;
  const n = v.data;
  const whether = `whether ${fact.name} = ${show(n, fact.unit)} is valid`;
  if (code === 'tcpip-value-not-judged') return fact.only ? `${whether}: Microsoft documents only the value ${fact.only.value} (${sourceName(fact.only.source)})` : `${whether}: Microsoft documents no range for it`;
  if (code !== 'tcpip-value-disputed') return null;
  const inside = fact.ranges.filter((r) => n >= r.min && n <= r.max);
  const outside = fact.ranges.filter((r) => n < r.min || n > r.max);
  return `${whether}: Microsoft's pages disagree (allowed by ${ranges(inside)}; not by ${ranges(outside)})`;
}

function show(n: number, unit: string): string {
  const secs = unit === 'milliseconds' ? n / 1000 : unit === 'seconds' ? n : 0;
  const human = secs >= 2 * 86400 ? `, ${Math.round(secs / 86400)} days` : secs >= 60 ? `, ${formatSeconds(secs)}` : '';
  return `0x${n.toString(16)} (${n}${unit ? ` ${unit}` : ''}${human})`;
}

/** Ranges grouped by bounds: "30-300 (Windows 2000 reference; BizTalk guide, ...); 0-300 (...)". */
function ranges(rs: readonly Documented[]): string {
  const groups = new Map<string, string[]>();
  for (const r of rs) {
    const k = `${r.min}-${r.max}`;
    groups.set(k, [...(groups.get(k) ?? []), `${sourceName(r.source)}${r.applies ? `, ${r.applies}` : ''}`]);
  }
  return [...groups].map(([k, who]) => `${k} (${who.join('; ')})`).join(', ');
}

function names(ids: readonly SourceId[]): string {
  return [...new Set(ids.map(sourceName))].join(', ');
}

/** Deleting the value restores the default: these values are absent unless someone added them (the references say "Windows does not add this entry"). */
function restore(fact: TcpipFact): string {
  const unit = fact.unit ? ` ${fact.unit}` : '';
  const groups = new Map<number, string[]>();
  for (const d of fact.defaults) groups.set(d.value, [...(groups.get(d.value) ?? []), `${sourceName(d.source)}${d.applies ? `, ${d.applies}` : ''}`]);
  const list = [...groups].map(([value, who]) => `${value}${unit} (${[...new Set(who)].join('; ')})`);
  if (list.length === 0) return 'Deleting it (elevated prompt) restores the default; no documented default value was found.';
  if (list.length === 1) return `Deleting it (elevated prompt) restores the default, ${list[0]}.`;
  return `Deleting it (elevated prompt) restores the default, which the pages give as ${list.join(' or ')}.`;
}
