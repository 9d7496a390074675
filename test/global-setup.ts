/**
 * Says once, at the top of the run, which suites need a server this machine may lack and
 * whether they run. The suites themselves skip when their address is not set.
 */
export default function globalSetup(): void {
  const servers: Array<[string, string, string]> = [
    ['KurrentDB contract suite', 'KURRENTDB_CONNECTION_STRING', 'a KurrentDB server'],
    ['Kafka relay suites', 'KAFKA_BROKERS', 'a Kafka broker'],
  ];
  for (const [suite, variable, what] of servers) {
    const line = process.env[variable]
      ? `${suite}: running against ${variable}=${process.env[variable]}`
      : `${suite}: SKIPPED because ${variable} is not set (needs ${what})`;
    process.stdout.write(`\n${line}`);
  }
  process.stdout.write('\n');
}
