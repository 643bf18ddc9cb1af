// Strict type-checking of files the tests wrote (generated output, README examples), with the
// compiler pinned in devDependencies. Diagnostics come back as `file:line message` strings.
import { join, relative } from 'node:path';
import ts from 'typescript';
import { repoRoot } from './paths.js';

export interface Diagnostic {
  readonly file: string | undefined;
  readonly text: string;
}

/** Type-checks `rootNames` as ESM (NodeNext) under `strict`, plus any stricter `extra` options. */
export function typeCheck(rootNames: readonly string[], baseDir: string, extra: ts.CompilerOptions = {}): Diagnostic[] {
  const program = ts.createProgram({
    rootNames,
    options: {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      typeRoots: [join(repoRoot, 'node_modules', '@types')],
      ...extra,
    },
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const file = d.file ? relative(baseDir, d.file.fileName) : undefined;
    const line = d.file && d.start !== undefined ? `:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    return { file, text: `${file ?? ''}${line} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}` };
  });
}

export const STRICTEST: ts.CompilerOptions = {
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noPropertyAccessFromIndexSignature: true,
};
