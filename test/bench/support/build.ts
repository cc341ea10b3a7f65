import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

/**
 * Compiles the services as `npm test` and the image do (`tsc -p tsconfig.build.json --noCheck`, into
 * dist/) and makes the test kit's launcher run that JavaScript (SERVICE_RUNTIME=dist), so a bench
 * measures what users run. SERVICE_RUNTIME=ts keeps ts-node (from the sources) and skips the build.
 */
export function buildServices(): 'dist' | 'ts' {
  if (process.env['SERVICE_RUNTIME'] === 'ts') return 'ts';
  const began = Date.now();
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noCheck'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`the services did not compile (tsc exit ${build.status ?? build.signal})`);
  process.env['SERVICE_RUNTIME'] = 'dist';
  console.log(`[bench] services compiled into dist/ in ${((Date.now() - began) / 1000).toFixed(0)} s (SERVICE_RUNTIME=dist)`);
  return 'dist';
}
