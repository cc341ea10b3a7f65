import { stringify } from 'yaml';
import { MessageRegistry } from '../core/registry';
import { buildAsyncApi } from './build-asyncapi';

/** The command that regenerates the committed document; named in its header and in the drift test. */
export const WRITE_ASYNCAPI_COMMAND = 'npx ts-node --transpile-only libs/contracts/src/asyncapi/write-asyncapi.ts';

/** The document as YAML, with a header saying it is generated. */
export function renderAsyncApiYaml(registry: MessageRegistry): string {
  const header = `# Generated from the message registry in libs/contracts. Do not edit; run:\n#   ${WRITE_ASYNCAPI_COMMAND}\n`;
  // No anchors/aliases: readers and fulfillment houses copy single schemas out of this file.
  return header + stringify(buildAsyncApi(registry), { lineWidth: 0, aliasDuplicateObjects: false });
}
