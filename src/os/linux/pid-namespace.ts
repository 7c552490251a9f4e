// Whether this process sees every process of the host: only from the first
// PID namespace does /proc list them all, under the pids the kernel's own
// structures hold (task->tgid). Its inode number is fixed in the kernel
// (PROC_PID_INIT_INO); a container's PID namespace has another.

import { readlinkSync } from 'node:fs';

const FIRST_PID_NAMESPACE = 'pid:[4026531836]';

/** True in the first PID namespace; false in another, or when /proc/self/ns/pid cannot be read. */
export function inFirstPidNamespace(): boolean {
  try {
    return readlinkSync('/proc/self/ns/pid') === FIRST_PID_NAMESPACE;
  } catch {
    return false;
  }
}
