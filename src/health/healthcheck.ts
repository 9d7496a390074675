/**
 * The container's HEALTHCHECK (see the Dockerfile): exits 0 when the service on this machine
 * answers `GET /health/live` with 200 within 2.5 s, else 1. `ready` as the argument asks
 * `/health/ready` instead. It reads PORT and HOST as the service does (a service listening on
 * every interface is asked on loopback), and needs nothing but Node.
 */
const DEFAULT_PORT = 3000;

export function healthUrl(env: NodeJS.ProcessEnv, check: 'live' | 'ready'): string {
  const port = env.PORT && /^\d{1,5}$/.test(env.PORT) ? Number(env.PORT) : DEFAULT_PORT;
  const given = env.HOST ?? '';
  const host = given === '' || given === '0.0.0.0' || given === '::' ? '127.0.0.1' : given;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/health/${check}`;
}

export async function healthcheck(env: NodeJS.ProcessEnv, check: 'live' | 'ready'): Promise<boolean> {
  try {
    const res = await fetch(healthUrl(env, check), { signal: AbortSignal.timeout(2500) });
    return res.status === 200;
  } catch {
    return false;
  }
}

if (require.main === module) {
  const check = process.argv[2] === 'ready' ? 'ready' : 'live';
  void healthcheck(process.env, check).then((ok) => process.exit(ok ? 0 : 1));
}
