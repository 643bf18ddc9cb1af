// A node:test reporter for scripts/test.mjs: the time each test file's top-level tests took, as
// JSON { "<path below dist/test/>": ms }, written when the run ends. scripts/test.mjs splits the
// files into its process groups by it. A test's events name the file that defines it, also when
// the file runs inside a group module.
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const testDir = fileURLToPath(new URL('../dist/test/', import.meta.url));

export default async function* durations(source) {
  const ms = {};
  for await (const event of source) {
    if ((event.type !== 'test:pass' && event.type !== 'test:fail') || event.data.nesting !== 0 || !event.data.file) continue;
    const file = event.data.file.startsWith('file:') ? fileURLToPath(event.data.file) : event.data.file;
    const key = relative(testDir, file).split(sep).join('/');
    ms[key] = Math.round((ms[key] ?? 0) + (event.data.details?.duration_ms ?? 0));
  }
  yield `${JSON.stringify(ms)}\n`;
}
