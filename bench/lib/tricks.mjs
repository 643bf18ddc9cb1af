// The runtime's speed tricks, each knocked out in turn. Every trick the runtime keeps must show
// its benefit here, under the conditions it targets; a comment at the trick points at its row.
// A knock-out is the compiled runtime (the files of dist/generated/runtime/) with the trick's code
// replaced by the plain way, in a copy of dist/generated; each replacement is asserted to apply,
// so renaming a trick's code without updating this file fails the bench instead of measuring
// nothing.
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { distDir } from './common.mjs';

export const TRICKS = [
  {
    id: 'trick-keep-alive',
    title: 'One decoder kept alive, so a full GC keeps the optimized code (decode.ts KEEP_ALIVE)',
    conditions:
      'a full garbage collection between two decodes (timed here: gc(), then one decode, both variants alike) — a long-running process that calls SuperOffice now and then; back-to-back decodes show no difference',
    gcBetween: true,
    replace: [['const KEEP_ALIVE = keepDecoderAlive();', 'const KEEP_ALIVE = null;']],
  },
  {
    id: 'trick-name-prediction',
    title: 'Element and attribute names predicted from the previous sibling (xml.ts startTag)',
    conditions:
      'documents that repeat their structure — every SOAP response with an array, i.e. what users decode; a document whose every tag differs only pays one failed comparison per tag',
    replace: [
      ['const guess = prev !== null ? prev.nextSibling : parent !== null ? parent.firstChild : null;', 'const guess = null;'],
      ['const aGuess = this.aNames[count];', 'const aGuess = undefined;'],
    ],
  },
  {
    id: 'trick-canonical-names',
    title: 'Names and namespace URIs made compact and interned (xml.ts canonical)',
    conditions: 'names compared many times per document (every element is matched against the schema by name and namespace); a few hundred distinct names per message',
    replace: [['function canonical(s) {', 'function canonical(s) {\n    return s;']],
  },
  {
    id: 'trick-scalar-fast-path',
    title: 'Scalars parsed in place from the document text (scalars.ts parseScalarAt)',
    conditions: 'leaf values without entities or comments (nearly all values WCF writes): strings, booleans, integers, dateTime',
    replace: [['const value = fr.pieces === 1 && fr.raw ? parseScalarAt(fr.fast, src, fr.tStart, fr.tEnd) : undefined;', 'const value = undefined;']],
  },
  {
    id: 'trick-frame-reuse',
    title: 'Decoder frames reused from one element to the next at the same depth (decode.ts Frame)',
    conditions: 'every decode: one frame per element otherwise, i.e. one allocation of a 20-field object per element',
    replace: [['if (++this.sp === frames.length)\n                    frames.push(new Frame());', 'frames[++this.sp] = new Frame();']],
  },
  {
    id: 'trick-same-chars',
    title: 'Names compared by char codes instead of startsWith (xml.ts sameChars)',
    conditions: 'every name looked up in the name cache and every end tag checked against its start tag',
    replace: [['function sameChars(src, start, s) {', 'function sameChars(src, start, s) {\n    return src.startsWith(s, start);']],
  },
  {
    id: 'trick-chars-as-read',
    title: 'Characters XML forbids checked while reading, not in a pass of their own (xml.ts charsAsRead)',
    conditions: 'every decode: the message is scanned once instead of twice',
    replace: [['this.r = new XmlReader(xml, maxDepth !== undefined ? { maxDepth } : undefined, true);', 'this.r = new XmlReader(xml, maxDepth !== undefined ? { maxDepth } : undefined, false);']],
  },
];

/** A copy of dist/generated with `trick` knocked out; the folder that holds it (import `${dir}/generated/EMail/index.js`). */
export function knockOut(trick) {
  const dir = mkdtempSync(join(os.tmpdir(), `gen-services86-${trick.id}-`));
  cpSync(join(distDir, 'generated'), join(dir, 'generated'), { recursive: true });
  const runtime = join(dir, 'generated', 'runtime');
  const files = readdirSync(runtime).filter((n) => n.endsWith('.js'));
  const texts = new Map(files.map((n) => [n, readFileSync(join(runtime, n), 'utf8')]));
  for (const [from, to] of trick.replace) {
    const hits = files.flatMap((n) => Array(texts.get(n).split(from).length - 1).fill(n));
    if (hits.length !== 1) throw new Error(`bench: the code of ${trick.id} is not found exactly once in the compiled runtime (${hits.length} times): ${from}`);
    texts.set(hits[0], texts.get(hits[0]).replace(from, to));
  }
  for (const [n, text] of texts) writeFileSync(join(runtime, n), text);
  return dir;
}

export async function importKnockedOut(dir) {
  return import(pathToFileURL(join(dir, 'generated', 'EMail', 'index.js')).href);
}
