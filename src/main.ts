/**
 * `npm start`: the gateway on the embedded sandboxes, or on the providers configured in the
 * environment. A configuration error stops start-up with one line naming the variable. With
 * WEB_CONCURRENCY > 1, this process is the primary of that many workers (cluster.ts).
 */
import { runPrimary, runWorker, isClusterWorker } from './cluster.js';
import { ConfigError, loadConfig, type GatewayConfig } from './config.js';
import { createLogger } from './logger.js';
import { startGateway } from './start.js';

const logger = (config: GatewayConfig) => createLogger({ level: config.logLevel, pretty: process.stdout.isTTY === true });
const print = (text: string) => process.stdout.write(`${text}\n`);

async function runSingle(): Promise<void> {
  const gateway = await startGateway(process.env, logger);
  print(gateway.banner);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    print(`Received ${signal}, shutting down`);
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

async function main(): Promise<void> {
  try {
    if (isClusterWorker()) {
      await runWorker(process.env, logger);
      return;
    }
    const config = loadConfig(process.env);
    if (config.workers > 1) {
      process.exit(await runPrimary(config, logger(config), print));
    }
    await runSingle();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Invalid configuration: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
