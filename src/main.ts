/**
 * `npm start`: the gateway on the embedded sandboxes, or on the providers configured in the
 * environment. A configuration error stops start-up with one line naming the variable.
 */
import { ConfigError } from './config.js';
import { createLogger } from './logger.js';
import { startGateway } from './start.js';

async function main(): Promise<void> {
  let gateway;
  try {
    gateway = await startGateway(process.env, (config) => createLogger({ level: config.logLevel, pretty: process.stdout.isTTY === true }));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Invalid configuration: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  process.stdout.write(`${gateway.banner}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`Received ${signal}, shutting down\n`);
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
