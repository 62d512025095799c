import { resolve } from 'node:path';
import { loadScenario } from './scenario';
import { startSimulator } from './server';

/** `node dist/src/simulator/main.js --scenario config/scenarios/demo.yaml --port 8730 [--advance-every 20]` */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const scenario = loadScenario(resolve(opt('scenario') ?? 'config/scenarios/demo.yaml'));
  const sim = await startSimulator({ scenario, port: Number(opt('port') ?? 8730) });
  console.log(`simulator "${scenario.name}" on ${sim.url}`);
  const every = Number(opt('advance-every') ?? 0);
  if (every > 0) {
    setInterval(() => {
      const applied = sim.advance();
      if (applied) console.log(`simulator step ${sim.step}: ${applied.map((a) => a.action).join(', ')}`);
    }, every * 1000);
  }
  const stop = (): void => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  });
}
