// How the handlebars templates are compiled: one set of options (templates.ts TEMPLATE_OPTIONS), used
// at run time and by the build's precompile step, and one way to write a value in a template.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { TEMPLATE_OPTIONS } from '../../generator/emit/templates.js';
import { repoRoot } from '../support/paths.js';

const require = createRequire(import.meta.url);
interface Handlebars {
  template(spec: unknown): (view: object) => string;
  compile(source: string, options: object): (view: object) => string;
}

test('a precompiled template writes what the same template compiled at run time writes, text HTML would escape included', () => {
  // Every real run uses the build's precompiled templates; an edited .hbs (or a test's copy) is
  // compiled at run time. Options differing between the two (noEscape) would change the output of
  // one path only: `&` in a WSDL file name shown as `&amp;`.
  const precompiled = require(join(repoRoot, 'dist', 'generator', 'emit', 'templates.precompiled.cjs')) as Record<string, { source: string; spec: unknown }>;
  const { source, spec } = precompiled['index.ts.hbs']!;
  const view = { header: `// from A&B<1>"2"'3'.wsdl =\`\n`, metadataExports: ['export { a } from "./x&y.js";'], operationsConst: 'OPS', agentClass: 'Agent' };
  const built = (require('handlebars/runtime') as Handlebars).template(spec)(view);
  assert.equal(built, (require('handlebars') as Handlebars).compile(source, TEMPLATE_OPTIONS)(view));
  assert.ok(built.startsWith(view.header) && built.includes(view.metadataExports[0]!), built);
});

test('the templates write every value as {{x}}: with noEscape, {{{x}}} would mean the same and suggest the others are escaped', () => {
  const dir = join(repoRoot, 'templates');
  const triple = readdirSync(dir)
    .filter((f) => f.endsWith('.hbs'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').flatMap((line, i) => (line.includes('{{{') ? [`${f}:${i + 1}: ${line}`] : [])));
  assert.deepEqual(triple, []);
});
