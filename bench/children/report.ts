/** Child side of the harness: print one `BENCH_RESULT {json}` line with the child's own figures. */
export function report(fields: Record<string, unknown>): void {
  const usage = process.resourceUsage();
  const line = JSON.stringify({ ...fields, maxRssKb: usage.maxRSS, uptimeMs: process.uptime() * 1000 });
  process.stdout.write(`\nBENCH_RESULT ${line}\n`);
}

/** Milliseconds since `t0` (performance.now() based). */
export function since(t0: number): number {
  return performance.now() - t0;
}
