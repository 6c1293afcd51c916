/**
 * vitest globalSetup: builds the gateway once (dist/), for the tests that run it as its own
 * process, exactly as `npm start` does.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: 'pipe' });
}
