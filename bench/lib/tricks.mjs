// The runtime's speed tricks, each knocked out in turn. Every trick the runtime keeps must show
// its benefit here, under the conditions it targets; a comment at the trick points at its row.
// A knock-out is the compiled runtime (the files of dist/generated/runtime/) with the trick's code
// replaced by the plain way, in a copy of dist/generated; each replacement is asserted to apply,
// so renaming a trick's code without updating this file fails the bench instead of measuring
// nothing.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { distDir } from './common.mjs';

export const TRICKS = [
  {
    id: 'trick-keep-alive',
    title: 'Decoders kept alive, so a full GC keeps the optimized code (decode.ts KEEP_ALIVE)',
    conditions:
      'a full garbage collection before each decode (not timed) — a long-running process that calls SuperOffice now and then; back-to-back decodes show no difference',
    gcBetween: true,
    replace: [['    KEEP_ALIVE ??= decodersToKeep();', '    KEEP_ALIVE ??= null;']],
  },
  {
    id: 'trick-tag-prediction',
    title: "A start tag compared whole with the predicted element's last one, whose name and attributes it then has (xml.ts startTag)",
    conditions: 'a message that repeats its structure (1000 items of the same type, the same xsi:type on every element of a name); the knock-out reads every tag the long way (its name scanned and looked up), attribute by attribute',
    replace: [
      ['let end = tag === null ? -1 : matchAt(tag.pattern, src, lt);', 'let end = -1;'],
      // (With no tag kept, the comparison above could never hold; replacing it too says what the knock-out reads.)
      ['if (name.kept < MAX_KEPT_TAGS && ', 'if (false && '],
    ],
  },
  {
    id: 'trick-tag-patterns',
    title: "Start tags and end tags compared by a sticky RegExp of their text, not by startsWith (xml.ts literal, matchAt)",
    conditions: "every tag of a message: a predicted start tag (about 40 characters in the bench response) and every end tag; the knock-out compares a kept start tag with startsWith (its text canonical, as before patterns) and reads every end tag the long way (its name by startsWith, then white space and '>')",
    replace: [
      [
        "function literal(text, then = '') {",
        "function literal(text, then = '') {\n    const t = canonical(text);\n    return { lastIndex: 0, test(src) { if (!src.startsWith(t, this.lastIndex)) return false; this.lastIndex += t.length; return true; } };",
      ],
      ["this.endTag = compact && qname.length <= MAX_PATTERN_LENGTH ? literal(`</${qname}`, '[\\\\t\\\\n\\\\r ]*>') : null;", 'this.endTag = null;'],
    ],
  },
  {
    id: 'trick-canonical-names',
    title: 'Names and namespace URIs made compact and interned (xml.ts canonical)',
    conditions: 'names compared many times per document (every element is matched against the schema by name and namespace); a few hundred distinct names per message',
    replace: [['function canonical(s) {', 'function canonical(s) {\n    return s;']],
  },
  {
    id: 'trick-scalar-char-codes',
    title: 'Integers and dateTime read from their characters, not by regular expression and Number/Date (scalars.ts parseScalar)',
    conditions: 'every integer and dateTime value of a message (the bench response has 5 integers and 2 dateTime per item); the knock-out is the parser this one replaced',
    replace: [
      [
        'function integerAt(src, start, end) {',
        "function integerAt(src, start, end) {\n    const text = src.slice(start, end);\n    if (!/^[+-]?\\d+$/.test(text))\n        return NaN;\n    const n = Number(text);\n    return n === 0 ? 0 : n;",
      ],
      [
        'function parseDateTime(src, start, end) {',
        "function parseDateTime(src, start, end) {\n    return regexDateTime(src.slice(start, end));\n}\nfunction regexDateTime(text) {\n    const m = /^(-?\\d{4,})-(\\d\\d)-(\\d\\d)T(\\d\\d):(\\d\\d):(\\d\\d)(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)?$/.exec(text);\n    if (!m)\n        throw new ScalarError(`\"${shortText(text)}\" is not an xs:dateTime`);\n    const [, y, mo, d, h, mi, s, frac, zone] = m;\n    const month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);\n    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 59)\n        throw new ScalarError(`\"${shortText(text)}\" is not a valid date and time`);\n    const date = new Date(0);\n    date.setUTCFullYear(Number(y), month - 1, day);\n    date.setUTCHours(hour, minute, second, frac ? Number(frac.slice(1, 4).padEnd(3, '0')) : 0);\n    if (date.getUTCDate() !== day && hour !== 24)\n        throw new ScalarError(`\"${shortText(text)}\" is not a valid date`);\n    if (zone && zone !== 'Z')\n        date.setTime(date.getTime() - (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60000);\n    return date;\n}\nfunction charCodeDateTime(src, start, end) {",
      ],
    ],
  },
  {
    id: 'trick-xsi-type-declared',
    title: "An xsi:type that names the element's declared type told by its text, before the general lookup (decode.ts xsiType)",
    conditions:
      'every element of a message that carries xsi:type naming its declared type, as WCF and SuperOffice write them (every item of the bench response); the knock-out resolves each through the namespace scope and the schema\'s lookup of derived types',
    replace: [["if (desc?.kind === 'complex') {\n            const colon = value.indexOf(':');", "if (false) {\n            const colon = value.indexOf(':');"]],
  },
  {
    id: 'trick-json-common-scalars',
    title: 'Strings, ints and booleans of a JSON message taken as they are, before the general scalar check (json.ts JsonDecoder.item)',
    conditions: 'the REST decode case: the same 1000 items as the Agents API sends them (0.83 MB JSON); most values are strings, ints and booleans',
    json: true,
    replace: [['switch (slot.fast) {', 'switch (0) {']],
  },
  {
    id: 'trick-encode-slots',
    title: "A field's tags, scalar kind and type worked out once per schema, not on every write or read (schema.ts SchemaIndex.slot)",
    conditions: 'the encode case: a Send request with 100 full EMailEntity values, every field written by the same few hundred schema fields',
    encode: true,
    replace: [['let slot = this.slots.get(field);', 'let slot = undefined;']],
  },
];

/**
 * A copy of dist/generated in a temp folder (removed when the process exits) with each `replace`
 * pair applied to its compiled runtime; the folder that holds it (see importCopy). With no pairs,
 * the runtime as it is, loaded the same way as a knock-out.
 */
export function copyRuntime(name, replace = []) {
  const dir = mkdtempSync(join(os.tmpdir(), `gen-services86-${name}-`));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(distDir, 'generated'), join(dir, 'generated'), { recursive: true });
  const runtime = join(dir, 'generated', 'runtime');
  const files = readdirSync(runtime).filter((n) => n.endsWith('.js'));
  const texts = new Map(files.map((n) => [n, readFileSync(join(runtime, n), 'utf8')]));
  for (const [from, to] of replace) {
    const hits = files.flatMap((n) => Array(texts.get(n).split(from).length - 1).fill(n));
    if (hits.length !== 1) throw new Error(`bench: the code of ${name} is not found exactly once in the compiled runtime (${hits.length} times): ${from}`);
    texts.set(hits[0], texts.get(hits[0]).replace(from, to));
  }
  for (const [n, text] of texts) writeFileSync(join(runtime, n), text);
  return dir;
}

/** The generated EMail client of a copyRuntime folder. */
export async function importCopy(dir) {
  return import(pathToFileURL(join(dir, 'generated', 'EMail', 'index.js')).href);
}

/** A runtime module of a copyRuntime folder (`json.js`: its restCodec). */
export async function importCopyRuntime(dir, file) {
  return import(pathToFileURL(join(dir, 'generated', 'runtime', file)).href);
}
