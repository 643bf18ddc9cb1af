// The one pinned printer: TypeScript's formatter (through ts-morph) with fixed settings and LF line
// ends, after TypeScript's parser. The emitters print code in exactly this format themselves (so
// loading TypeScript is not part of every generator run); the tests run every generated file
// through formatTypeScript and require it to come back unchanged, and to parse.
//
// One in-memory project serves every call, without lib files: formatting and syntax checks need
// only the file itself, and building a fresh project (with its lib.d.ts program) per file made the
// oracle take minutes over the 56 WSDLs' output.
import { Project, ts } from 'ts-morph';
import { GenerateError } from '../errors.js';

const FORMAT_SETTINGS = {
  indentSize: 2,
  tabSize: 2,
  convertTabsToSpaces: true,
  newLineCharacter: '\n',
  insertSpaceAfterCommaDelimiter: true,
  insertSpaceAfterSemicolonInForStatements: true,
  insertSpaceBeforeAndAfterBinaryOperators: true,
  insertSpaceAfterKeywordsInControlFlowStatements: true,
  insertSpaceAfterFunctionKeywordForAnonymousFunctions: true,
  insertSpaceAfterOpeningAndBeforeClosingNonemptyBraces: true,
  insertSpaceAfterOpeningAndBeforeClosingEmptyBraces: false,
  insertSpaceAfterOpeningAndBeforeClosingNonemptyBrackets: false,
  insertSpaceAfterOpeningAndBeforeClosingNonemptyParenthesis: false,
  insertSpaceAfterTypeAssertion: false,
  placeOpenBraceOnNewLineForFunctions: false,
  placeOpenBraceOnNewLineForControlBlocks: false,
  semicolons: ts.SemicolonPreference.Insert,
} as const;

let sharedProject: Project | undefined;

function project(): Project {
  sharedProject ??= new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, strict: true, noLib: true, noResolve: true },
    manipulationSettings: { newLineKind: ts.NewLineKind.LineFeed, indentationText: '  ' as never },
  });
  return sharedProject;
}

/** Formats TypeScript `text` (named `fileName` in messages); throws if it does not parse. */
export function formatTypeScript(fileName: string, text: string): string {
  const file = project().createSourceFile(`/${fileName}`, text, { overwrite: true });
  try {
    // The parser's own diagnostics: no program (and no type checking) is needed for them.
    const diagnostics = (file.compilerNode as ts.SourceFile & { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
    if (diagnostics.length > 0) {
      const d = diagnostics[0]!;
      const pos = d.start !== undefined ? file.compilerNode.getLineAndCharacterOfPosition(d.start) : undefined;
      throw new GenerateError(
        `internal error: generated ${fileName} does not parse at ${pos ? `${pos.line + 1}:${pos.character + 1}` : '?'}: ` +
          ts.flattenDiagnosticMessageText(d.messageText, '\n'),
      );
    }
    file.formatText(FORMAT_SETTINGS);
    const out = file.getFullText().replace(/\r\n/g, '\n');
    return out.endsWith('\n') ? out : `${out}\n`;
  } finally {
    file.forget();
  }
}
