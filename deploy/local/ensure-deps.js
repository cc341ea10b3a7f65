// Makes `npm start` and `npm test` enough on a fresh clone: when node_modules is missing or older than
// package-lock.json, run `npm ci` first. Only Node built-ins here: nothing else is installed yet.
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Runs `npm ci` in `root` when the installed tree is missing or stale; exits on failure. */
function ensureDependencies(root, label) {
  const installed = mtime(path.join(root, 'node_modules', '.package-lock.json'));
  const wanted = mtime(path.join(root, 'package-lock.json'));
  if (installed !== undefined && wanted !== undefined && installed >= wanted) return;
  console.log(`[${label}] installing dependencies (npm ci)`);
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`[${label}] npm ci failed`);
    process.exit(result.status || 1);
  }
}

module.exports = { ensureDependencies };
