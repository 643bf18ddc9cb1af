// The XML reader (templates/runtime/xml.ts) against an independent one: expat (Python's
// xml.parsers.expat, namespaces on), on thousands of documents made by mutating the golden
// envelopes and a few hand-made ones (deterministic: a seeded generator). For every document both
// must agree whether it is well-formed, and where both read it, on what it says: every element's
// namespace and local name, its attributes (namespace, name, normalized value, in order) and its
// text (entities, character references, CDATA and line ends decoded).
//
// Where the two may rightly disagree, the mutations stay out of it: DOCTYPE (refused here by
// design), and names with characters that XML 1.0's fifth edition allows and expat's tables (the
// fourth edition's) do not (U+200C, U+10000 ...). One disagreement is expected and checked: expat
// reads any version number in the XML declaration, while VersionNum is '1.' followed by digits.
// expat is in every Python 3; CI installs python3 with zeep (.ci/run).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { XML_EOF, XML_START, XML_TEXT, XmlReader, XmlSyntaxError } from '../../templates/runtime/xml.js';
import { repoRoot } from '../support/paths.js';

const DOCUMENTS = 6_000;

/** What one reader makes of a document: the refusal, or its events. */
type Reading = { readonly error: string } | { readonly events: readonly string[] };

/** A small linear congruential generator: the same documents on every run. */
function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
}

const HAND_MADE = [
  '<a xmlns="u" xmlns:p="v"><p:b c="1" p:d="2">t&amp;x&#65;&#x42;<![CDATA[<c>]]></p:b><!-- c --><?pi data?><e/></a>',
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<r a=\'x\' b="y&quot;&#9;z">\r\n<s>\u00e9\u{1F600}</s>\t</r>\n<!-- end -->',
  '<x:r xmlns:x="urn:x" x:a="1"><x:s xmlns:x="urn:y" x:a="2"/><t xmlns="">text &lt; &gt; &apos;</t></x:r>',
];

/** Pieces inserted by the mutations: markup characters, references, declarations, characters XML refuses. */
const PIECES = [
  '<', '>', '&', ';', '"', "'", '/', '=', ':', ' ', '\t', '\n', '\r', '\r\n', 'xmlns:a="u"', 'xmlns=""', 'xmlns:a=""', 'a:b',
  'xml:lang="en"', 'xmlns:xml="http://www.w3.org/XML/1998/namespace"', 'xmlns:xml="u"', 'xmlns:xmlns="u"', 'xmlns:p="http://www.w3.org/2000/xmlns/"',
  '&#x0;', '&#0;', '&#65;', '&#x41;', '&#x1F600;', '&#xD800;', '&#xFFFE;', '&#x110000;', '&#9;', '&#xD;', '&amp;', '&lt', '&foo;', '&#;', '&#x;', '&#65',
  ']]>', '<![CDATA[', ']]', '<!--', '-->', '--', '<?pi x?>', '<?xml version="1.0"?>', '<?xml?>', '<?XML x?>', '<a/>', '</a>', '<a>', '<b:c/>',
  '\u00e9', '\uFFFE', '\uFFFF', '\x01', '\x00', '\u0085', '\u2028', '1', '-', '.', '_', '\u00B7', '\u0300',
  'a="1" a="2"', 'p:x="1" q:x="2"', '="', 'a=1', 'a="<"', 'a="&"', "a='\"'",
];

/** `count` documents, each a seed with one to three mutations: a cut, an inserted piece, a repeated run, a character moved. */
function documents(count: number): string[] {
  const dir = join(repoRoot, 'test', 'golden', 'EMail', 'envelopes');
  const seeds = readdirSync(dir).sort().filter((f) => f.endsWith('.xml')).map((f) => readFileSync(join(dir, f), 'utf8')).filter((s) => s.length < 4_000);
  seeds.push(...HAND_MADE);
  const rnd = generator(20261205);
  const out: string[] = [];
  while (out.length < count) {
    let s = seeds[rnd(seeds.length)]!;
    for (let edits = 1 + rnd(3); edits > 0; edits--) {
      const at = rnd(s.length + 1);
      const kind = rnd(5);
      if (kind === 0) s = s.slice(0, at) + s.slice(at + 1 + rnd(6));
      else if (kind <= 2) s = s.slice(0, at) + PIECES[rnd(PIECES.length)]! + s.slice(at);
      else if (kind === 3) s = s.slice(0, at) + s.slice(at, at + 1 + rnd(20)) + s.slice(at);
      else s = s.slice(0, at) + s.charAt(rnd(s.length)) + s.slice(at + 1);
    }
    // DOCTYPE is refused by design; a lone surrogate (a piece cut in half) has no UTF-8 form for expat.
    if (/<!DOCTYPE/i.test(s) || /[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))) continue;
    out.push(s);
  }
  return out;
}

/** Our reading: the events as `<{ns}local {ns}name="value"…>`, `"text"` (adjacent texts joined) and `</>`. */
function ours(src: string): Reading {
  const events: string[] = [];
  try {
    const r = new XmlReader(src);
    for (let ev = r.next(); ev !== XML_EOF; ev = r.next()) {
      if (ev === XML_START) {
        let tag = `<{${r.ns}}${r.name.local}`;
        for (let i = 0; i < r.attrCount; i++) {
          const name = r.attrName(i);
          if (name.qname === 'xmlns' || name.qname.startsWith('xmlns:')) continue;
          tag += ` {${r.attrNs(i)}}${name.local}=${JSON.stringify(r.attrValue(i))}`;
        }
        events.push(`${tag}>`);
      } else if (ev === XML_TEXT) {
        const last = events.length - 1;
        const text = r.text();
        if (last >= 0 && events[last]!.startsWith('"')) events[last] = JSON.stringify(JSON.parse(events[last]!) + text);
        else events.push(JSON.stringify(text));
      } else {
        events.push('</>');
      }
    }
  } catch (err) {
    if (err instanceof XmlSyntaxError) return { error: err.message };
    throw err;
  }
  return { events };
}

/** expat's readings of all documents, from one python3 process, in the same event form. */
function expat(docs: readonly string[]): Reading[] {
  const script = `
import json, sys, xml.parsers.expat as E
def read(doc):
    events = []
    def start(name, attrs):
        tag = '<' + qualified(name)
        for i in range(0, len(attrs), 2):
            tag += ' ' + qualified(attrs[i]) + '=' + json.dumps(attrs[i + 1], ensure_ascii=False)
        events.append(tag + '>')
    def qualified(name):
        ns, _, local = name.rpartition('\\x01')
        return '{' + ns + '}' + local
    def text(data):
        if events and events[-1].startswith('"'):
            events[-1] = json.dumps(json.loads(events[-1]) + data, ensure_ascii=False)
        else:
            events.append(json.dumps(data, ensure_ascii=False))
    p = E.ParserCreate(encoding='UTF-8', namespace_separator='\\x01')
    p.ordered_attributes = True
    p.StartElementHandler = start
    p.EndElementHandler = lambda name: events.append('</>')
    p.CharacterDataHandler = text
    try:
        p.Parse(doc.encode('utf-8'), True)
    except E.ExpatError as e:
        return {'error': str(e)}
    return {'events': events}
docs = json.load(sys.stdin)
json.dump([read(d) for d in docs], sys.stdout, ensure_ascii=False)
`;
  const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(docs), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.equal(run.status, 0, `python3 (expat) failed: ${run.error?.message ?? run.stderr}`);
  return JSON.parse(run.stdout) as Reading[];
}

/** expat reads `version="1o0"`; VersionNum is '1.' [0-9]+, which the reader holds to. */
const expatIsLaxHere = (doc: string, mine: Reading): boolean =>
  'error' in mine && /^Unsupported XML version/.test(mine.error) && !/^<\?xml\s+version\s*=\s*(["'])1\.[0-9]+\1/.test(doc);

describe('the XML reader agrees with expat', () => {
  test(`on ${DOCUMENTS} mutated envelopes: the same refusals, and the same elements, attributes and text`, () => {
    const docs = documents(DOCUMENTS);
    const theirs = expat(docs);
    assert.equal(theirs.length, docs.length);
    let read = 0;
    let refused = 0;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i]!;
      const mine = ours(doc);
      const other = theirs[i]!;
      const shown = `document #${i}: ${JSON.stringify(doc).slice(0, 2_000)}`;
      if ('error' in other) {
        assert.ok('error' in mine, `expat refuses (${other.error}), the reader reads it\n${shown}`);
        refused++;
      } else if ('error' in mine) {
        assert.ok(expatIsLaxHere(doc, mine), `the reader refuses (${mine.error}), expat reads it\n${shown}`);
      } else {
        assert.deepEqual(mine.events, other.events, shown);
        read++;
      }
    }
    // The mutations make both kinds, well-formed documents and refusals, in numbers.
    assert.ok(read > DOCUMENTS / 10 && refused > DOCUMENTS / 2, `${read} read, ${refused} refused by both`);
  });
});
