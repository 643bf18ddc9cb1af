// Loading the handlebars templates of templates/: compiled once per process and path.
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Template = (view: object) => string;
const compiled = new Map<string, Template>();

export function template(templatesDir: string, name: string): Template {
  const path = join(templatesDir, name);
  let t = compiled.get(path);
  if (!t) {
    // noEscape: these templates produce TypeScript, not HTML; every value is escaped by its view model.
    // strict: a view missing a field is a generator bug, not an empty string.
    t = Handlebars.compile(readFileSync(path, 'utf8'), { noEscape: true, strict: true });
    compiled.set(path, t);
  }
  return t;
}
