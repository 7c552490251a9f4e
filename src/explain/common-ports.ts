// Ports developers and services commonly listen on. A range that covers one of
// these is worth a finding: it is where "my server won't start" reports come from.

export const COMMON_PORTS: ReadonlyMap<number, string> = new Map([
  [1433, 'SQL Server'],
  [3000, 'Node/React/Rails dev servers'],
  [3001, 'dev servers'],
  [3306, 'MySQL'],
  [4200, 'Angular dev server'],
  [5000, 'Flask/ASP.NET dev servers'],
  [5001, 'ASP.NET HTTPS dev server'],
  [5173, 'Vite dev server'],
  [5432, 'PostgreSQL'],
  [5672, 'RabbitMQ'],
  [6379, 'Redis'],
  [8000, 'Django/Python dev servers'],
  [8080, 'HTTP alternate'],
  [8081, 'HTTP alternate'],
  [8443, 'HTTPS alternate'],
  [8888, 'Jupyter'],
  [9000, 'PHP-FPM/SonarQube/MinIO'],
  [9090, 'Prometheus'],
  [9229, 'Node inspector'],
  [9200, 'Elasticsearch'],
  [27017, 'MongoDB'],
]);

export function commonPortsIn(start: number, end: number): number[] {
  return [...COMMON_PORTS.keys()].filter((p) => p >= start && p <= end);
}

/** "3000 (Node/React/Rails dev servers), 8080 (HTTP alternate) and 12 more": long lists stay readable. */
export function describePorts(ports: readonly number[], max = 6): string {
  const shown = ports.slice(0, max).map((p) => `${p} (${COMMON_PORTS.get(p) ?? 'port'})`);
  const more = ports.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more (${ports.slice(max).join(', ')})` : shown.join(', ');
}
