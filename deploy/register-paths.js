// Resolves the `@continuum/<lib>` imports of the compiled services at run time:
//   node -r ./deploy/register-paths.js dist/services/<name>/src/main.js
// tsc keeps the aliases as written, so without this hook Node cannot find the libraries.
'use strict';

const path = require('path');
const tsConfigPaths = require('tsconfig-paths');

// One level above deploy/: the repo root locally, the image's work directory in Docker.
const root = path.resolve(__dirname, '..');

tsConfigPaths.register({
  baseUrl: root,
  paths: { '@continuum/*': ['dist/libs/*/src/index.js'] },
  addMatchAll: false,
});
