/**
 * The gateway's log destination: a line is written before the call that logs it returns, so
 * a crash right after (an audit record, then the answer it records) cannot lose it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const LOGGER = fileURLToPath(new URL('../dist/src/logger.js', import.meta.url));

describe('log destination', () => {
  it('writes each line synchronously: it is in the file when the call returns, and survives SIGKILL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-log-'));
    try {
      const file = join(dir, 'stdout.log');
      const out = openSync(file, 'w');
      const script = `
        import { createLogger } from ${JSON.stringify(LOGGER)};
        import { fstatSync } from 'node:fs';
        const logger = createLogger({ level: 'warn' });
        logger.warn({ audit: { outcome: 'CancelPaymentSuccess' } }, 'cancelPayment attempt');
        process.stderr.write(String(fstatSync(1).size));
        process.kill(process.pid, 'SIGKILL');`;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', out, 'pipe'], encoding: 'utf8' });
      closeSync(out);
      expect(child.signal).toBe('SIGKILL');
      const written = readFileSync(file, 'utf8');
      expect(Number(child.stderr)).toBe(Buffer.byteLength(written));
      expect(JSON.parse(written)).toMatchObject({ level: 40, service: 'payments-gateway', audit: { outcome: 'CancelPaymentSuccess' }, msg: 'cancelPayment attempt' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
