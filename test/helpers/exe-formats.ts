// Where Node finds the SEA blob in each executable format, read the way Node
// itself looks (src/node_sea.cc with postject's postject-api.h): written here
// from the format specifications, independently of scripts/sea/ (which only
// writes), so the tests of executables this machine cannot start (linux-arm64,
// darwin-x64) still check what such a machine would find.
//  - ELF: a PT_NOTE segment holding a note named NODE_SEA_BLOB;
//  - Mach-O: section __NODE_SEA_BLOB of segment NODE_SEA;
//  - PE: resource RT_RCDATA named NODE_SEA_BLOB.

export interface Located {
  /** The CPU the binary is for, in Node's words (x64, arm64). */
  arch: string;
  blob: { offset: number; size: number };
}

const ELF_MACHINES: Record<number, string> = { 62: 'x64', 183: 'arm64' };

export function locateElfBlob(buf: Buffer): Located {
  if (buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2 || buf[5] !== 1) throw new Error('not a 64-bit little-endian ELF file');
  const arch = ELF_MACHINES[buf.readUInt16LE(18)] ?? `e_machine ${buf.readUInt16LE(18)}`;
  const phoff = Number(buf.readBigUInt64LE(32));
  const phentsize = buf.readUInt16LE(54);
  for (let i = 0; i < buf.readUInt16LE(56); i++) {
    const ph = phoff + i * phentsize;
    if (buf.readUInt32LE(ph) !== 4) continue; // PT_NOTE
    const start = Number(buf.readBigUInt64LE(ph + 8));
    const end = start + Number(buf.readBigUInt64LE(ph + 32));
    for (let at = start; at + 12 <= end; ) {
      const namesz = buf.readUInt32LE(at);
      const descsz = buf.readUInt32LE(at + 4);
      const name = buf.toString('latin1', at + 12, at + 12 + namesz).split('\0')[0];
      const desc = at + 12 + align4(namesz);
      if (name === 'NODE_SEA_BLOB') return { arch, blob: { offset: desc, size: descsz } };
      at = desc + align4(descsz);
    }
  }
  throw new Error('no NODE_SEA_BLOB note in any PT_NOTE segment');
}

const MACHO_CPUS: Record<number, string> = { 0x01000007: 'x64', 0x0100000c: 'arm64' };

export interface MachoFacts extends Located {
  signed: boolean;
  /** __LINKEDIT is the last segment and ends at the end of the file: where codesign appends a signature. */
  linkeditLast: boolean;
}

export function locateMachoBlob(buf: Buffer): MachoFacts {
  if (buf.readUInt32LE(0) !== 0xfeedfacf) throw new Error('not a thin 64-bit Mach-O file');
  const arch = MACHO_CPUS[buf.readUInt32LE(4)] ?? `cputype ${buf.readUInt32LE(4)}`;
  let blob: Located['blob'] | null = null;
  let signed = false;
  let lastSegmentEnd = 0;
  let linkeditEnd = -1;
  for (let i = 0, at = 32; i < buf.readUInt32LE(16); i++) {
    const cmd = buf.readUInt32LE(at);
    if (cmd === 0x1d) signed = true; // LC_CODE_SIGNATURE
    if (cmd === 0x19) {
      // LC_SEGMENT_64: segname[16] at 8, fileoff at 40, filesize at 48, nsects at 64, sections (80 bytes each) at 72.
      const segname = buf.toString('latin1', at + 8, at + 24).split('\0')[0];
      const end = Number(buf.readBigUInt64LE(at + 40)) + Number(buf.readBigUInt64LE(at + 48));
      lastSegmentEnd = Math.max(lastSegmentEnd, end);
      if (segname === '__LINKEDIT') linkeditEnd = end;
      for (let s = 0; s < buf.readUInt32LE(at + 64); s++) {
        const sect = at + 72 + s * 80;
        const sectname = buf.toString('latin1', sect, sect + 16).split('\0')[0];
        if (segname === 'NODE_SEA' && sectname === '__NODE_SEA_BLOB') blob = { offset: buf.readUInt32LE(sect + 48), size: Number(buf.readBigUInt64LE(sect + 40)) };
      }
    }
    at += buf.readUInt32LE(at + 4);
  }
  if (!blob) throw new Error('no NODE_SEA/__NODE_SEA_BLOB section');
  return { arch, blob, signed, linkeditLast: linkeditEnd === lastSegmentEnd && linkeditEnd === buf.length };
}

export interface PeFacts extends Located {
  signed: boolean;
  checksumValid: boolean;
}

export function locatePeBlob(buf: Buffer): PeFacts {
  const pe = buf.readUInt32LE(0x3c);
  if (buf.readUInt32LE(pe) !== 0x4550) throw new Error('not a PE file');
  const arch = buf.readUInt16LE(pe + 4) === 0x8664 ? 'x64' : `machine ${buf.readUInt16LE(pe + 4)}`;
  const opt = pe + 24;
  const dir = (i: number) => ({ rva: buf.readUInt32LE(opt + 112 + 8 * i), size: buf.readUInt32LE(opt + 116 + 8 * i) });
  const sections = Array.from({ length: buf.readUInt16LE(pe + 6) }, (_, i) => {
    const s = opt + buf.readUInt16LE(pe + 20) + 40 * i;
    return { va: buf.readUInt32LE(s + 12), vsize: buf.readUInt32LE(s + 8), raw: buf.readUInt32LE(s + 20) };
  });
  const fileOffset = (rva: number) => {
    const s = sections.find((x) => rva >= x.va && rva < x.va + x.vsize);
    if (!s) throw new Error(`RVA ${rva} lies in no section`);
    return rva - s.va + s.raw;
  };
  const rsrc = fileOffset(dir(2).rva);
  // Resource tree: type -> name -> language -> data entry. Entry offsets are relative to the tree's root.
  const entries = (at: number) => {
    const n = buf.readUInt16LE(at + 12) + buf.readUInt16LE(at + 14);
    return Array.from({ length: n }, (_, i) => ({ name: buf.readUInt32LE(at + 16 + 8 * i), target: buf.readUInt32LE(at + 20 + 8 * i) }));
  };
  const nameOf = (name: number) => {
    if (!(name & 0x80000000)) return null;
    const at = rsrc + (name & 0x7fffffff);
    return buf.toString('utf16le', at + 2, at + 2 + 2 * buf.readUInt16LE(at));
  };
  const rcdata = entries(rsrc).find((e) => e.name === 10); // RT_RCDATA
  const named = rcdata && entries(rsrc + (rcdata.target & 0x7fffffff)).find((e) => nameOf(e.name) === 'NODE_SEA_BLOB');
  const lang = named && entries(rsrc + (named.target & 0x7fffffff))[0];
  if (!lang) throw new Error('no RT_RCDATA resource named NODE_SEA_BLOB');
  const data = rsrc + lang.target;
  const blob = { offset: fileOffset(buf.readUInt32LE(data)), size: buf.readUInt32LE(data + 4) };
  const security = dir(4);
  return { arch, blob, signed: security.rva !== 0 || security.size !== 0, checksumValid: peChecksum(buf, opt + 64) === buf.readUInt32LE(opt + 64) };
}

/** The PE checksum as Windows computes it (the checksum field counted as zero). */
function peChecksum(buf: Buffer, field: number): number {
  let sum = 0;
  for (let i = 0; i < buf.length; i += 2) {
    const word = i === field || i === field + 2 ? 0 : i + 1 < buf.length ? buf.readUInt16LE(i) : buf[i]!;
    sum += word;
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  return (sum + buf.length) >>> 0;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
