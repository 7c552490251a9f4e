// Types of race-host.cjs (shared by the namespace tests and the bench).
export interface RaceHostRules {
  limit?: number;
  scope?: 'host' | 'process';
  counts?: 'all' | 'leaving';
  controlLoss?: 'random' | 'every-5th';
  /** Over the limit, a TCP reset (ECONNREFUSED at once) instead of a drop. */
  rejects?: boolean;
}
export function raceRuleset(h: RaceHostRules): string;
export function writeOwnCgroupPreload(dir: string, parent: string): string;
export function removeCgroupTree(dir: string): void;
