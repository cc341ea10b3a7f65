// Writes libs/contracts/asyncapi.yaml from the registry:
//   npx ts-node --transpile-only libs/contracts/src/asyncapi/write-asyncapi.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registry } from '../index';
import { renderAsyncApiYaml } from './render-asyncapi';

export const ASYNCAPI_FILE = join(__dirname, '..', '..', 'asyncapi.yaml');

if (require.main === module) {
  writeFileSync(ASYNCAPI_FILE, renderAsyncApiYaml(registry));
  console.log(`wrote ${ASYNCAPI_FILE} (${registry.all().length} message definitions)`);
}
