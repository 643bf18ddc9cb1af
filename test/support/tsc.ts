// Strict type-checking of files the tests wrote (generated output, README examples), with the
// compiler pinned in devDependencies. Diagnostics come back as `file:line message` strings.
//
// The runtime and metadata files of every output carry `// @ts-nocheck`: `typeCheck` reads each
// file with that line blanked (no-check.ts), `consumerView` as generated — the compile a consumer gets.
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { withoutNoCheck } from './no-check.js';
import { repoRoot } from './paths.js';

export { withoutNoCheck } from './no-check.js';

export interface Diagnostic {
  readonly file: string | undefined;
  readonly text: string;
}

/** The compiler's own library files, parsed once per test process (lib.dom.d.ts alone is ≈ 2 MB). */
const libraryFiles = new Map<string, ts.SourceFile>();
const nodeModules = `${sep}node_modules${sep}`;

/** A host that reads files as written, or (`checked`) with the directive lines blanked outside node_modules. */
function host(options: ts.CompilerOptions, checked: boolean): ts.CompilerHost {
  const base = ts.createCompilerHost(options);
  return {
    ...base,
    getSourceFile(fileName, languageVersion, onError) {
      const library = fileName.includes(nodeModules);
      const key = `${JSON.stringify(languageVersion)} ${fileName}`;
      if (library && libraryFiles.has(key)) return libraryFiles.get(key);
      const text = base.readFile(fileName);
      if (text === undefined) {
        onError?.(`cannot read ${fileName}`);
        return undefined;
      }
      const file = ts.createSourceFile(fileName, checked && !library ? withoutNoCheck(text) : text, languageVersion);
      if (library) libraryFiles.set(key, file);
      return file;
    },
  };
}

function program(rootNames: readonly string[], extra: ts.CompilerOptions, checked: boolean): ts.Program {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    typeRoots: [join(repoRoot, 'node_modules', '@types')],
    // The compiler's and @types/node's declarations are not what we test (the output has no .d.ts).
    skipLibCheck: true,
    ...extra,
  };
  return ts.createProgram({ rootNames, options, host: host(options, checked) });
}

function diagnostics(p: ts.Program, baseDir: string): Diagnostic[] {
  return ts.getPreEmitDiagnostics(p).map((d) => {
    const file = d.file ? relative(baseDir, d.file.fileName) : undefined;
    const line = d.file && d.start !== undefined ? `:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    return { file, text: `${file ?? ''}${line} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}` };
  });
}

/**
 * Type-checks `rootNames` as ESM (NodeNext) under `strict`, plus any stricter `extra` options —
 * every file, the runtime and metadata ones included (their `// @ts-nocheck` blanked).
 */
export function typeCheck(rootNames: readonly string[], baseDir: string, extra: ts.CompilerOptions = {}): Diagnostic[] {
  return diagnostics(program(rootNames, extra, true), baseDir);
}

/** The same compile as a consumer's: files as generated, so the runtime and metadata files are skipped. */
export function consumerView(rootNames: readonly string[], baseDir: string, extra: ts.CompilerOptions = {}): Diagnostic[] {
  return diagnostics(program(rootNames, extra, false), baseDir);
}

export const STRICTEST: ts.CompilerOptions = {
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noPropertyAccessFromIndexSignature: true,
  // A library that emits declarations with isolatedDeclarations (TypeScript 5.5+) needs every
  // export's type stated, in every file it compiles: `// @ts-nocheck` does not silence these
  // errors (TS9010 …), they are the declaration emitter's, so the runtime and metadata need it too.
  declaration: true,
  isolatedDeclarations: true,
};

/** Flags stricter than the ones the output promises, which a consumer may have set (see consumerView). */
export const PICKY: ts.CompilerOptions = {
  ...STRICTEST,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  allowUnreachableCode: false,
  allowUnusedLabels: false,
};
