// Code signatures of the registry's Node binaries, removed before the blob is
// injected. Injecting changes the file, so a signature that stayed would be a
// broken one, which is worse than none:
//  - Windows (PE): node.exe carries an Authenticode signature, found through
//    the certificate-table data directory (a file offset, at the end of the
//    file). Left in place, the rewritten file points it into the injected
//    resources and Windows reports an invalid signature. Removed: the entry
//    zeroed, the bytes cut, the PE checksum recomputed (after injection too).
//  - macOS (Mach-O): node carries a code signature (LC_CODE_SIGNATURE, data at
//    the end of __LINKEDIT). Node's SEA guide removes it first
//    (`codesign --remove-signature`); this does the same without a Mac: the
//    load command dropped, __LINKEDIT and the file shortened. The result must
//    be signed again on a Mac (`codesign --sign -` at least, README).
// Linux (ELF) binaries are not signed.

const IMAGE_DIRECTORY_ENTRY_SECURITY = 4;

/** Offsets of a PE32+ file's optional header fields this needs. */
function peLayout(buf) {
  if (buf.readUInt16LE(0) !== 0x5a4d) throw new Error('not a PE file (no MZ header)');
  const pe = buf.readUInt32LE(0x3c);
  if (buf.readUInt32LE(pe) !== 0x00004550) throw new Error('not a PE file (no PE signature)');
  const opt = pe + 24;
  if (buf.readUInt16LE(opt) !== 0x20b) throw new Error('not a PE32+ (64-bit) file');
  return { checksum: opt + 64, security: opt + 112 + 8 * IMAGE_DIRECTORY_ENTRY_SECURITY };
}

/** The file without its Authenticode signature (unchanged when it has none). */
export function removePeSignature(buf) {
  const { security } = peLayout(buf);
  const offset = buf.readUInt32LE(security);
  const size = buf.readUInt32LE(security + 4);
  if (offset === 0 && size === 0) return buf;
  if (offset + size !== buf.length) throw new Error(`the certificate table (${offset}+${size}) is not at the end of the file (${buf.length})`);
  const out = Buffer.from(buf.subarray(0, offset));
  out.writeUInt32LE(0, security);
  out.writeUInt32LE(0, security + 4);
  return setPeChecksum(out);
}

/** True when the PE file's certificate-table entry is empty. */
export function peIsUnsigned(buf) {
  const { security } = peLayout(buf);
  return buf.readUInt32LE(security) === 0 && buf.readUInt32LE(security + 4) === 0;
}

/** The PE checksum (imagehlp's CheckSumMappedFile): 16-bit one's-complement sum of the file, checksum field as zero, plus the length. */
export function setPeChecksum(buf) {
  const { checksum } = peLayout(buf);
  buf.writeUInt32LE(0, checksum);
  let sum = 0;
  const even = buf.length & ~1;
  for (let i = 0; i < even; i += 2) {
    sum += buf.readUInt16LE(i);
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  if (buf.length & 1) {
    sum += buf[buf.length - 1];
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  buf.writeUInt32LE((sum + buf.length) >>> 0, checksum);
  return buf;
}

const MH_MAGIC_64 = 0xfeedfacf;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;

/** The load commands of a thin 64-bit little-endian Mach-O file. */
export function machoCommands(buf) {
  if (buf.readUInt32LE(0) !== MH_MAGIC_64) throw new Error('not a thin 64-bit Mach-O file');
  const ncmds = buf.readUInt32LE(16);
  const cmds = [];
  for (let i = 0, at = 32; i < ncmds; i++) {
    const cmd = buf.readUInt32LE(at);
    const size = buf.readUInt32LE(at + 4);
    const segname = cmd === LC_SEGMENT_64 ? buf.toString('latin1', at + 8, at + 24).split('\0')[0] : null;
    cmds.push({ cmd, size, at, segname });
    at += size;
  }
  return cmds;
}

/** The file without its code signature (unchanged when it has none). */
export function removeMachoSignature(buf) {
  const cmds = machoCommands(buf);
  const sig = cmds.find((c) => c.cmd === LC_CODE_SIGNATURE);
  if (!sig) return buf;
  const dataoff = buf.readUInt32LE(sig.at + 8);
  const datasize = buf.readUInt32LE(sig.at + 12);
  if (dataoff + datasize !== buf.length) throw new Error(`the code signature (${dataoff}+${datasize}) is not at the end of the file (${buf.length})`);
  const linkedit = cmds.find((c) => c.segname === '__LINKEDIT');
  if (!linkedit) throw new Error('no __LINKEDIT segment');
  const out = Buffer.from(buf.subarray(0, dataoff));
  // Drop the load command: later commands move up, the freed bytes become zero.
  const last = cmds[cmds.length - 1];
  const end = last.at + last.size;
  out.copy(out, sig.at, sig.at + sig.size, end);
  out.fill(0, end - sig.size, end);
  out.writeUInt32LE(cmds.length - 1, 16);
  out.writeUInt32LE(out.readUInt32LE(20) - sig.size, 20);
  // __LINKEDIT now ends where the signature began.
  const le = linkedit.at < sig.at ? linkedit.at : linkedit.at - sig.size;
  const fileoff = Number(out.readBigUInt64LE(le + 40));
  out.writeBigUInt64LE(BigInt(dataoff - fileoff), le + 48);
  return out;
}

/** True when no LC_CODE_SIGNATURE is left. */
export function machoIsUnsigned(buf) {
  return !machoCommands(buf).some((c) => c.cmd === LC_CODE_SIGNATURE);
}
