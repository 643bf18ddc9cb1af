// Loading the package's handlebars templates (templates/): once per process and name. The build
// precompiles them (scripts/precompile-templates.mjs), so a run loads only handlebars' small
// runtime; a template whose .hbs differs from its precompiled source (edited without a rebuild) is
// compiled here instead.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Template = (view: object) => string;

interface Precompiled {
  readonly source: string;
  readonly spec: unknown;
}

interface HandlebarsLike {
  template(spec: unknown): Template;
  compile(source: string, options: object): Template;
}

/**
 * The options the templates are compiled with, here and by the build (scripts/precompile-templates.mjs
 * imports them from this module's build): one set, so a precompiled template and one compiled here
 * write the same text.
 */
// noEscape: these templates produce TypeScript, not HTML; every value is escaped by its view model
// (and so the templates write every value as {{x}}: nothing is left for Handlebars to escape).
// strict: a view missing a field is a generator bug, not an empty string.
export const TEMPLATE_OPTIONS = { noEscape: true, strict: true } as const;

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
/** The package's templates/ (and templates/runtime/): dist/generator/emit → ../../../templates. */
export const TEMPLATES_DIR = resolve(here, '..', '..', '..', 'templates');
const compiled = new Map<string, Template>();
let precompiled: Readonly<Record<string, Precompiled>> | null | undefined;

function loadPrecompiled(): Readonly<Record<string, Precompiled>> | null {
  try {
    return require('./templates.precompiled.cjs') as Record<string, Precompiled>;
  } catch {
    return null; // not built (e.g. a tsc-only build): compile instead
  }
}

/**
 * The text of a file of templates/ (a .hbs, a runtime .ts) with LF line ends, whatever the checkout
 * holds (git's core.autocrlf makes CRLF on Windows): the output is the same bytes on every machine.
 * Every reader of templates/ reads through it: template(), runtimeFiles(), the precompile script.
 */
export function readTemplateText(path: string): string {
  return readFileSync(path, 'utf8').replace(/\r\n/g, '\n');
}

/** The template templates/<name>. */
export function template(name: string): Template {
  let t = compiled.get(name);
  if (!t) {
    const source = readTemplateText(join(TEMPLATES_DIR, name));
    const pre = (precompiled ??= loadPrecompiled())?.[name];
    t =
      pre && pre.source === source
        ? (require('handlebars/runtime') as HandlebarsLike).template(pre.spec)
        : (require('handlebars') as HandlebarsLike).compile(source, TEMPLATE_OPTIONS);
    compiled.set(name, t);
  }
  return t;
}
