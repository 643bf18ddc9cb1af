// A test oracle for the layout of generated code: TypeScript's formatter (through ts-morph) with
// fixed settings and LF line ends. The emitters print code in this format themselves (so loading
// TypeScript is not part of every generator run); the tests run generated files through
// formatTypeScript and require them to come back unchanged. Whether they parse is tsc's to say
// (the consumer and all-WSDL compiles): a formatter pass over text that does not parse proves nothing.
//
// One in-memory project serves every call, without lib files: formatting needs only the file
// itself, and building a fresh project (with its lib.d.ts program) per file made the oracle take
// minutes over the 56 WSDLs' output.
import { Project, ts } from 'ts-morph';

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

/** TypeScript `text` as the formatter prints it. `path`: the file's own, one per file (the formatter's language service keeps what it saw under a name). */
export function formatTypeScript(path: string, text: string): string {
  const file = project().createSourceFile(`/${path}`, text, { overwrite: true });
  try {
    file.formatText(FORMAT_SETTINGS);
    const out = file.getFullText().replace(/\r\n/g, '\n');
    return out.endsWith('\n') ? out : `${out}\n`;
  } finally {
    file.forget();
  }
}
