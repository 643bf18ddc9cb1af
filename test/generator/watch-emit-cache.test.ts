// The emit cache of watch mode (generator/emit-cache.ts): an agent whose emitter inputs are
// deep-equal to the last run's is not emitted again, and the output after every watched change is
// byte for byte what a fresh run writes — also when the change reaches other agents' files through
// the shared types (a name that becomes agent-specific, the namespace table).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EmitCache } from '../../generator/emit-cache.js';
import { generate, ReadCache } from '../../generator/generate.js';
import { snapshot } from '../support/cli-run.js';
import { miniWsdl } from '../support/mini-wsdl.js';

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'gen-services86-emit-cache-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('EmitCache.reuse', () => {
  const counting = () => {
    let made = 0;
    return { make: () => ++made, made: () => made };
  };

  test('reuses the result while the inputs are deep-equal; any difference emits again', () => {
    const cache = new EmitCache();
    const c = counting();
    const model = { name: 'A', types: new Map([['x', { kind: 'complex', fields: [1, 2] }]]), tags: new Set(['t']) };
    assert.equal(cache.reuse('a', [model, 'tpl', 'cmd'], c.make), 1);
    // A copy with equal content (as the next run's plan is): reused.
    const copy = { name: 'A', types: new Map([['x', { kind: 'complex', fields: [1, 2] }]]), tags: new Set(['t']) };
    assert.equal(cache.reuse('a', [copy, 'tpl', 'cmd'], c.make), 1);
    assert.equal(c.made(), 1);
    // Each kind of difference is a new emit.
    const changes: unknown[][] = [
      [{ ...copy, name: 'B' }, 'tpl', 'cmd'],
      [{ ...copy, types: new Map([['x', { kind: 'complex', fields: [1, 3] }]]) }, 'tpl', 'cmd'],
      [{ ...copy, types: new Map([['y', { kind: 'complex', fields: [1, 2] }]]) }, 'tpl', 'cmd'],
      [{ ...copy, tags: new Set(['u']) }, 'tpl', 'cmd'],
      [{ ...copy, extra: undefined }, 'tpl', 'cmd'],
      [{ types: copy.types, name: 'A', tags: copy.tags }, 'tpl', 'cmd'], // key order: the emitters iterate in it
      [copy, 'tpl2', 'cmd'],
      [copy, 'tpl', undefined],
      [copy, 'tpl'],
    ];
    for (const inputs of changes) {
      cache.reuse('a', [copy, 'tpl', 'cmd'], c.make); // back to the first inputs
      const before = c.made();
      const what = JSON.stringify(inputs, (_k, v: unknown) => (v instanceof Map || v instanceof Set ? [...v] : v === undefined ? '(undefined)' : v));
      assert.equal(cache.reuse('a', inputs, c.make), before + 1, `emitted again for ${what}`);
      // …and the changed inputs are then the ones remembered.
      assert.equal(cache.reuse('a', inputs, c.make), before + 1, `reused for ${what}`);
    }
    // Hits: the copy, the first inputs right after it, and each changed input asked twice.
    assert.equal(cache.hits, 2 + changes.length);
  });

  test('Map and Set order counts; slots are separate; class instances are equal only to themselves', () => {
    const cache = new EmitCache();
    const c = counting();
    cache.reuse('m', [new Map([['a', 1], ['b', 2]])], c.make);
    cache.reuse('m', [new Map([['b', 2], ['a', 1]])], c.make);
    assert.equal(c.made(), 2);
    cache.reuse('s', [new Set([1, 2])], c.make);
    cache.reuse('s', [new Set([2, 1])], c.make);
    assert.equal(c.made(), 4);
    cache.reuse('other', [new Set([2, 1])], c.make);
    assert.equal(c.made(), 5, 'another slot does not share results');
    class Box {
      constructor(readonly v: number) {}
    }
    const box = new Box(1);
    cache.reuse('c', [box], c.make);
    cache.reuse('c', [box], c.make);
    assert.equal(c.made(), 6, 'the same instance is reused');
    cache.reuse('c', [new Box(1)], c.make);
    assert.equal(c.made(), 7, 'an equal-looking instance of a class is not');
    cache.reuse('d', [new Date(0)], c.make);
    cache.reuse('d', [new Date(1)], c.make);
    assert.equal(c.made(), 9);
  });

  test('a failing emit leaves nothing behind; very deep values count as changed', () => {
    const cache = new EmitCache();
    const c = counting();
    cache.reuse('f', ['x'], c.make);
    assert.throws(() => cache.reuse('f', ['y'], () => {
      throw new Error('bad input');
    }), /bad input/);
    assert.equal(cache.reuse('f', ['x'], c.make), 2, 'the result for x is not served after the failed call for y');
    const deep = (n: number): object => (n === 0 ? {} : { next: deep(n - 1) });
    cache.reuse('deep', [deep(500)], c.make);
    assert.equal(cache.reuse('deep', [deep(500)], c.make), 4);
    cache.reuse('shallow', [deep(50)], c.make);
    assert.equal(cache.reuse('shallow', [deep(50)], c.make), 5);
  });
});

test('EmitCache.startRun: a slot the last run did not ask for is dropped', () => {
  const cache = new EmitCache();
  let made = 0;
  const make = () => ++made;
  cache.startRun();
  cache.reuse('Alpha', ['a'], make);
  cache.reuse('Beta', ['b'], make);
  cache.startRun(); // a run without Beta
  assert.equal(cache.reuse('Alpha', ['a'], make), 1);
  cache.startRun();
  assert.equal(cache.reuse('Alpha', ['a'], make), 1, 'Alpha, asked for last run, is kept');
  assert.equal(cache.reuse('Beta', ['b'], make), 3, 'Beta, not asked for last run, was dropped');
});

describe('watched runs with the emit cache write what a fresh run writes', () => {
  const address = (extra = '') =>
    `<xs:complexType name="Address"><xs:sequence><xs:element minOccurs="0" name="Street" nillable="true" type="xs:string"/>${extra}</xs:sequence></xs:complexType>`;
  const ping = (request: string, doc = 'Pings.') => [
    { name: 'Ping', request, response: '<xs:element minOccurs="0" name="Response" type="tns:Address"/>', documentation: doc },
  ];
  const extraNamespace = '<xs:schema targetNamespace="http://example.com/extra" xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:complexType name="Note"><xs:sequence><xs:element name="Text" type="xs:string"/></xs:sequence></xs:complexType></xs:schema>';

  test('a change in one WSDL that renames a shared type, changes the namespace table or a text rewrites exactly the affected files', async () => {
    const dir = mkdtempSync(join(work, 'watch-'));
    const paths = ['Alpha', 'Beta', 'Gamma'].map((n) => join(dir, `${n}.wsdl`));
    const same = '<xs:element name="Id" type="xs:int"/>';
    const texts = {
      alpha: miniWsdl({ portType: 'Alpha', schema: address(), operations: ping(same) }),
      beta: miniWsdl({ portType: 'Beta', schema: address(), operations: ping(same) }),
      gamma: miniWsdl({ portType: 'Gamma', operations: [{ name: 'Echo', request: '', response: '' }] }),
    };
    writeFileSync(paths[0]!, texts.alpha);
    writeFileSync(paths[1]!, texts.beta);
    writeFileSync(paths[2]!, texts.gamma);
    const cache = new ReadCache();
    const out = join(dir, 'watched');
    await generate({ wsdl: paths, outDir: out, cache });
    let fresh = 0;
    /** A fresh run (no cache) of the same texts in another folder of the same layout, so the commands in the headers agree. */
    const freshSnapshot = async (): Promise<Record<string, string>> => {
      const other = mkdtempSync(join(work, `fresh-${++fresh}-`));
      const copies = paths.map((p) => join(other, basename(p)));
      copies.forEach((copy, i) => writeFileSync(copy, readFileSync(paths[i]!)));
      await generate({ wsdl: copies, outDir: join(other, 'watched') });
      return snapshot(join(other, 'watched'));
    };
    assert.deepEqual(snapshot(out), await freshSnapshot(), 'the first run');
    /** Alpha.wsdl changed, a watched run: the files it wrote and how many emits it reused. */
    const afterChange = async (what: string, alphaText: string): Promise<{ written: readonly string[]; reused: number }> => {
      writeFileSync(paths[0]!, alphaText);
      const hits = cache.emits.hits;
      const watched = await generate({ wsdl: paths, outDir: out, cache });
      assert.deepEqual(snapshot(out), await freshSnapshot(), `${what}: the watched output is the fresh run's, byte for byte`);
      return { written: watched.written!.written, reused: cache.emits.hits - hits };
    };

    // 1. Alpha's Ping request differs from Beta's: the shared PingRequest splits into
    //    AlphaPingRequest and BetaPingRequest, so Beta's files change although Beta.wsdl did not.
    const split = await afterChange('a split wrapper', miniWsdl({ portType: 'Alpha', schema: address(), operations: ping('<xs:element name="Name" type="xs:string"/>') }));
    assert.ok(split.written.includes('Beta/client.ts'), split.written.join(', '));
    assert.ok(!split.written.some((f) => f.startsWith('Gamma/')), split.written.join(', '));
    assert.ok(split.reused > 0, 'Gamma was not emitted again');
    // 2. Equal again: Beta's files go back to the shared name.
    const joined = await afterChange('a joined wrapper', texts.alpha);
    assert.ok(joined.written.includes('Beta/client.ts'), joined.written.join(', '));
    // 3. Only a documentation text: Alpha's files alone (no other agent emitted again).
    const misses = cache.emits.misses;
    const documented = await afterChange('a documentation text', miniWsdl({ portType: 'Alpha', schema: address(), operations: ping(same, 'Pings, documented anew.') }));
    assert.ok(documented.written.length > 0 && documented.written.every((f) => f.startsWith('Alpha/')), documented.written.join(', '));
    assert.equal(cache.emits.misses - misses, 2, "only Alpha's files and the entry (which lists every agent's model) were emitted again");
    // 4. A new namespace in Alpha: the shared namespace table every agent indexes into changes, so nothing is reused.
    const widened = await afterChange('a new namespace', miniWsdl({ portType: 'Alpha', schema: address(), operations: ping(same), extraSchemas: extraNamespace }));
    assert.ok(widened.written.includes('shared/metadata.ts'), widened.written.join(', '));
    assert.equal(widened.reused, 0);
    // 5. Back to the start (the table shrinks again): the first run's output.
    await afterChange('the original text', texts.alpha);
  });

  test('a changed regenerate command or inputs list re-emits every header', async () => {
    const dir = mkdtempSync(join(work, 'command-'));
    const paths = ['Alpha', 'Beta'].map((n) => join(dir, `${n}.wsdl`));
    writeFileSync(paths[0]!, miniWsdl({ portType: 'Alpha' }));
    writeFileSync(paths[1]!, miniWsdl({ portType: 'Beta' }));
    const cache = new ReadCache();
    const out = join(dir, 'watched');
    await generate({ wsdl: paths, outDir: out, cache });
    const second = await generate({ wsdl: paths, outDir: out, cache, regenerate: 'npm run generate' });
    assert.ok(second.written!.written.includes('Beta/client.ts'), second.written!.written.join(', '));
    const freshSnapshot = async (inputs: readonly string[], regenerate?: string): Promise<Record<string, string>> => {
      const other = mkdtempSync(join(work, 'fresh-command-'));
      const copies = inputs.map((p) => join(other, basename(p)));
      copies.forEach((copy, i) => writeFileSync(copy, readFileSync(inputs[i]!)));
      await generate({ wsdl: copies, outDir: join(other, 'watched'), ...(regenerate !== undefined ? { regenerate } : {}) });
      return snapshot(join(other, 'watched'));
    };
    assert.deepEqual(snapshot(out), await freshSnapshot(paths, 'npm run generate'));
    // One input dropped: back to one agent's own layout; nothing of the shared layout is reused.
    await generate({ wsdl: paths.slice(0, 1), outDir: out, cache });
    assert.deepEqual(snapshot(out), await freshSnapshot(paths.slice(0, 1)));
  });
});
