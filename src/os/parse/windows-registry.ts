// Windows registry values as text: `reg query KEY [/s] [/v NAME]` output and
// exported `.reg` files ("Windows Registry Editor Version 5.00", which
// regedit writes as UTF-16LE with a BOM, or the older ANSI "REGEDIT4"). One
// parser for both, so a live run (reg query) and a customer's export are read
// the same way. Decoding UTF-16 is the input reader's job; a BOM left in the
// text is skipped here.
//
// Key and value names are case-insensitive in the registry; they are kept as
// printed and compared case-insensitively by whoever looks them up.

import { ParseError, splitLines } from './text.js';

export interface RegistryValue {
  /** The key as printed, with HKLM / HKEY_LOCAL_MACHINE spelled out as HKEY_LOCAL_MACHINE. */
  key: string;
  /** "" for a key's default value. */
  name: string;
  /** REG_DWORD, REG_SZ, ... as reg.exe names them (.reg `dword:` is REG_DWORD, `hex(b):` REG_QWORD, ...). */
  type: string;
  /**
   * REG_DWORD / REG_QWORD: the number (null when the text holds none, e.g.
   * Wine prints "(null)" for a REG_QWORD); REG_SZ / REG_EXPAND_SZ: the string;
   * REG_MULTI_SZ: the strings; other types: the bytes as lower-case hex.
   * null for a value a `.reg` file deletes ("name"=-).
   */
  data: number | string | string[] | null;
  /** A `.reg` line that deletes the value ("name"=-). */
  deleted?: boolean;
  /** 1-based line where the value starts. */
  line: number;
}

export interface RegistryText {
  format: 'reg-query' | 'reg-export';
  values: RegistryValue[];
  /** Every key the text names, in order (also keys without values). */
  keys: string[];
  /** Keys a `.reg` file deletes ([-KEY]). */
  deletedKeys: string[];
  /**
   * Value lines whose data cannot be read (`dword:0000xxxx`, a REG_DWORD over
   * 32 bits): the other values are read, these are reported (where and why).
   */
  unread: Array<{ line: number; reason: string }>;
}

const FORMAT = 'registry';
const ROOTS: Record<string, string> = {
  HKLM: 'HKEY_LOCAL_MACHINE',
  HKCU: 'HKEY_CURRENT_USER',
  HKCR: 'HKEY_CLASSES_ROOT',
  HKU: 'HKEY_USERS',
  HKCC: 'HKEY_CURRENT_CONFIG',
};
const KEY_LINE = /^(HKEY_[A-Z_]+|HKLM|HKCU|HKCR|HKU|HKCC)(\\.*)?$/i;
// reg.exe separates name, type and data with four spaces; a name may hold spaces.
const QUERY_VALUE = /^ {4}(.*?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/;
const EXPORT_HEADER = /^(Windows Registry Editor Version 5\.00|REGEDIT4)\s*$/;
/** A shell prompt with a command (`C:\>type tcpip.reg`, `PS C:\> reg query ...`, `$ cat x.reg`), or a reg query command line. */
const PROMPT = /^([A-Za-z]:\\|PS [^>]*>|PS>|[$#>] )/;
const isPromptLine = (line: string) => PROMPT.test(line) || /\breg(\.exe)?\s+query\b/i.test(line);

export function parseRegistryText(text: string): RegistryText {
  const lines = splitLines(text);
  // The command line above an output (`C:\>type tcpip.reg`) says nothing of its format: the first line after it does.
  const first = lines.findIndex((l) => l.trim() !== '' && !isPromptLine(l.trim()));
  if (first >= 0 && (EXPORT_HEADER.test(lines[first]!.trim()) || /^\[-?HKEY_/i.test(lines[first]!.trim()))) return parseExport(lines);
  return parseQuery(lines);
}

function fail(line: number, message: string): never {
  throw new ParseError(FORMAT, `line ${line}: ${message}`);
}

/** A value line whose data cannot be read: that value is not read, the others are. */
class ValueError extends Error {}

function bad(message: string): never {
  throw new ValueError(message);
}

function canonicalKey(key: string): string {
  const slash = key.indexOf('\\');
  const root = slash < 0 ? key : key.slice(0, slash);
  const long = ROOTS[root.toUpperCase()] ?? root.toUpperCase();
  return slash < 0 ? long : long + key.slice(slash);
}

/** reg query: blank line, key line, indented value lines; prompts and search summaries around them. */
function parseQuery(lines: string[]): RegistryText {
  const out: RegistryText = { format: 'reg-query', values: [], keys: [], deletedKeys: [], unread: [] };
  let key: string | null = null;
  lines.forEach((raw, i) => {
    const line = raw.trimEnd();
    if (line.trim() === '') return;
    if (KEY_LINE.test(line)) {
      key = canonicalKey(line);
      out.keys.push(key);
      return;
    }
    const m = QUERY_VALUE.exec(raw);
    if (m) {
      if (key === null) fail(i + 1, 'a value line before any HKEY_... key line');
      try {
        out.values.push({ key, name: defaultName(m[1]!), type: m[2]!, data: queryData(m[2]!, m[3] ?? ''), line: i + 1 });
      } catch (err) {
        if (!(err instanceof ValueError)) throw err;
        out.unread.push({ line: i + 1, reason: `${defaultName(m[1]!) || '(Default)'}: ${err.message}` });
      }
      return;
    }
    // A shell prompt with the command, or "End of search: N match(es) found." (localized)
    // after /f: neither holds values. Anything else between values is not reg query output.
    if (isPromptLine(line)) return;
    if (key !== null && /^\S.*:\s*\d+\b/.test(line)) return;
    fail(i + 1, `neither a registry key (HKEY_...) nor a value line ("    Name    REG_TYPE    data"): ${JSON.stringify(line.slice(0, 80))}`);
  });
  if (out.keys.length === 0) fail(1, 'no registry key (HKEY_...) found: not reg query output');
  return out;
}

/** reg query prints the default value as "(Default)" in the system language; every localized spelling is in parentheses. */
function defaultName(name: string): string {
  return /^\(.+\)$/.test(name) ? '' : name;
}

function queryData(type: string, text: string): RegistryValue['data'] {
  const t = text.trim();
  switch (type) {
    case 'REG_DWORD':
    case 'REG_DWORD_BIG_ENDIAN':
    case 'REG_QWORD': {
      if (!/^0x[0-9a-f]+$/i.test(t)) return null;
      const n = Number(t);
      if (type !== 'REG_QWORD' && n > 0xffffffff) bad(`${t} does not fit a ${type}`);
      return n;
    }
    case 'REG_MULTI_SZ':
      return t === '' ? [] : t.split('\\0');
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return text;
    default:
      return t.toLowerCase();
  }
}

/** .reg: header, [KEY] sections, "name"=value lines, `\` continuations, `;` comments. */
function parseExport(lines: string[]): RegistryText {
  const out: RegistryText = { format: 'reg-export', values: [], keys: [], deletedKeys: [], unread: [] };
  let key: string | null = null;
  let headerSeen = false;
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!.trim();
    if (line === '' || line.startsWith(';')) continue;
    // The command that printed the file (`C:\>type tcpip.reg`), above it in a paste.
    if (!headerSeen && out.keys.length === 0 && out.deletedKeys.length === 0 && isPromptLine(line)) continue;
    if (EXPORT_HEADER.test(line)) {
      headerSeen = true;
      continue;
    }
    const section = /^\[(-?)(.+)\]$/.exec(line);
    if (section) {
      const k = canonicalKey(section[2]!.replace(/\\$/, ''));
      if (section[1]) {
        out.deletedKeys.push(k);
        key = null;
      } else {
        out.keys.push(k);
        key = k;
      }
      continue;
    }
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i]!.trim();
    const nameEnd = valueNameEnd(line);
    if (nameEnd < 0) fail(start + 1, `expected "name"=value, @=value or [KEY]: ${JSON.stringify(line.slice(0, 80))}`);
    if (key === null) fail(start + 1, 'a value before any [HKEY_...] key');
    const name = line.startsWith('@') ? '' : unescape(line.slice(1, nameEnd - 1));
    const value = line.slice(nameEnd + 1).trim();
    try {
      out.values.push({ key, name, ...exportData(value), line: start + 1 });
    } catch (err) {
      if (!(err instanceof ValueError)) throw err;
      out.unread.push({ line: start + 1, reason: `${name || '(Default)'}: ${err.message}` });
    }
  }
  if (!headerSeen && out.keys.length === 0 && out.deletedKeys.length === 0) fail(1, 'no "Windows Registry Editor Version 5.00" / REGEDIT4 header and no [HKEY_...] key');
  return out;
}

/** Index of the "=" after the value name ("..." with \" escapes, or @), or -1. */
function valueNameEnd(line: string): number {
  if (line.startsWith('@')) return line[1] === '=' ? 1 : -1;
  if (!line.startsWith('"')) return -1;
  for (let j = 1; j < line.length; j++) {
    if (line[j] === '\\') j++;
    else if (line[j] === '"') return line[j + 1] === '=' ? j + 1 : -1;
  }
  return -1;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

const HEX_TYPES: Record<string, string> = {
  '0': 'REG_NONE',
  '1': 'REG_SZ',
  '2': 'REG_EXPAND_SZ',
  '3': 'REG_BINARY',
  '4': 'REG_DWORD',
  '5': 'REG_DWORD_BIG_ENDIAN',
  '7': 'REG_MULTI_SZ',
  b: 'REG_QWORD',
};

function exportData(value: string): Pick<RegistryValue, 'type' | 'data' | 'deleted'> {
  if (value === '-') return { type: 'REG_NONE', data: null, deleted: true };
  if (value.startsWith('"')) {
    if (!value.endsWith('"') || value.length < 2) bad(`unterminated string: ${value.slice(0, 60)}`);
    return { type: 'REG_SZ', data: unescape(value.slice(1, -1)) };
  }
  const dword = /^dword:(.*)$/i.exec(value);
  if (dword) {
    // regedit takes at most 8 hex digits; "dword:00065534" is 0x65534, not 65534.
    if (!/^[0-9a-f]{1,8}$/i.test(dword[1]!)) bad(`dword:${dword[1]} is not a DWORD (1 to 8 hex digits)`);
    return { type: 'REG_DWORD', data: parseInt(dword[1]!, 16) };
  }
  const hex = /^hex(?:\(([0-9a-f]+)\))?:(.*)$/i.exec(value);
  if (!hex) bad(`unknown value data: ${value.slice(0, 60)}`);
  const kind = (hex[1] ?? '3').toLowerCase().replace(/^0+(?=.)/, '');
  const bytesText = hex[2]!.replace(/\s/g, '');
  if (bytesText !== '' && !/^[0-9a-f]{1,2}(,[0-9a-f]{1,2})*,?$/i.test(bytesText)) bad(`hex data is not comma-separated bytes: ${bytesText.slice(0, 60)}`);
  const bytes = Buffer.from(bytesText.split(',').filter(Boolean).map((b) => parseInt(b, 16)));
  const type = HEX_TYPES[kind] ?? `REG_TYPE_${kind}`;
  switch (type) {
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return { type, data: utf16z(bytes)[0] ?? '' };
    case 'REG_MULTI_SZ':
      return { type, data: utf16z(bytes) };
    case 'REG_DWORD':
      return { type, data: bytes.length === 4 ? bytes.readUInt32LE(0) : null };
    case 'REG_DWORD_BIG_ENDIAN':
      return { type, data: bytes.length === 4 ? bytes.readUInt32BE(0) : null };
    case 'REG_QWORD':
      return { type, data: bytes.length === 8 ? Number(bytes.readBigUInt64LE(0)) : null };
    default:
      return { type, data: bytes.toString('hex') };
  }
}

/** NUL-terminated UTF-16LE strings (REG_SZ has one, REG_MULTI_SZ several and an empty one at the end). */
function utf16z(bytes: Buffer): string[] {
  const text = bytes.subarray(0, bytes.length - (bytes.length % 2)).toString('utf16le');
  const parts = text.split('\0');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * What a registry capture shows of its key, as the command line above it
 * says: `reg query KEY /v NAME` prints that one value, `/ve` the default
 * value, `/f` and a filtering pipe only the values they match, and without
 * `/s` no subkey's values. Absent values outside that are not captured, never
 * "absent, so the default". null: nothing says the capture is partial (a
 * `/s` query of the key is whole; so is an export, which regedit writes
 * whole), read as today.
 */
export interface RegistryScope {
  /** The key queried (HKLM spelled out). */
  key: string;
  /** The value names the capture holds; null: every value of the key. */
  names: string[] | null;
  /** Whether the values of its subkeys are in it (`/s`). */
  subkeys: boolean;
  /** The command line as pasted, its prompt taken off; null when no command line says so. */
  command: string | null;
}

/** The scope of a capture from its command line; without one, a key that shows a single value is taken for that one value. */
export function registryScope(command: string | undefined, values: readonly RegistryValue[]): RegistryScope | null {
  const words = command ? (command.match(/"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^"(.*)"$/, '$1')) : [];
  const q = words.findIndex((w, i) => /^reg(\.exe)?$/i.test(w) && /^query$/i.test(words[i + 1] ?? ''));
  if (q < 0) {
    // No reg query command above it: a key with one value alone may be a `/v` query or a one-line snippet, never
    // the whole key (Tcpip\Parameters holds a dozen values on any Windows: Hostname, Domain, DataBasePath, ...).
    if (values.length !== 1) return null;
    return { key: values[0]!.key, names: [values[0]!.name], subkeys: false, command: null };
  }
  const args = words.slice(q + 2);
  const pipe = args.findIndex((w) => w.startsWith('|'));
  const own = pipe < 0 ? args : args.slice(0, pipe);
  const key = own.find((w) => !/^[/-]/.test(w));
  if (!key) return null;
  const option = (name: string) => own.findIndex((w) => w.toLowerCase() === `/${name}` || w.toLowerCase() === `-${name}`);
  const subkeys = option('s') >= 0;
  const v = option('v');
  // A pipe stage (findstr, Select-String) keeps the lines it matches: the values printed are all the capture shows.
  const printed = values.map((x) => x.name);
  const names = v >= 0 ? [own[v + 1] ?? ''] : option('ve') >= 0 ? [''] : option('f') >= 0 || pipe >= 0 ? printed : null;
  return { key: canonicalKey(trimSlashes(key)), names, subkeys, command: command!.trim() };
}

function trimSlashes(k: string): string {
  let end = k.length;
  while (end > 0 && k[end - 1] === '\\') end--;
  return k.slice(0, end);
}

const normalKey = (k: string) => trimSlashes(k.toLowerCase().replace(/\\controlset\d{3}\\/, '\\currentcontrolset\\'));

/** Whether a capture of that scope shows value `name` of `key` (set or absent); `name` null: every value of the key. */
export function scopeCovers(s: RegistryScope, key: string, name: string | null): boolean {
  const k = normalKey(key);
  const sk = normalKey(s.key);
  if (k !== sk && !(s.subkeys && k.startsWith(`${sk}\\`))) return false;
  if (s.names === null) return true;
  return name !== null && s.names.some((n) => n.toLowerCase() === name.toLowerCase());
}

/** The command that captures every value of Tcpip\Parameters and its subkeys. */
export const WHOLE_TCPIP_QUERY = 'reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters /s';
export const TCPIP_PARAMETERS = 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters';

/** What a partial capture shows, in words: "`reg query ... /v X` prints X alone". */
export function describeScope(s: RegistryScope): string {
  const key = s.key.replace(/^HKEY_LOCAL_MACHINE\\/i, 'HKLM\\');
  const names = s.names === null ? null : s.names.length === 0 ? 'no value' : s.names.map((n) => n || '(Default)').join(', ');
  const what = names === null ? `the values of ${key} without its subkeys` : `only ${names} of ${key}`;
  return s.command === null ? `holds ${what}, with no reg query command line above it to say it is the whole key` : `\`${s.command}\` shows ${what}`;
}
