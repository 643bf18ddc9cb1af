// A test file's work folder: in the OS temp folder, never in the checkout. A test killed before its
// after() would leave a folder in the repository, and `npm run build` (which removes from dist/
// everything that is not its own output) run meanwhile would delete one under a running test.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A new folder `gen-services86-<name>-XXXXXX` in the OS temp folder, holding a package.json that
 * makes it an ES module scope: Node and TypeScript (NodeNext) read the .js and .ts files written
 * there as ES modules, as they do inside the repository. The caller removes it in after().
 */
export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `gen-services86-${name}-`));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  return dir;
}
