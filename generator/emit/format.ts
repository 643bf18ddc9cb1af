// The one pinned printer: ts-morph's formatter with fixed settings and LF line ends, after
// TypeScript's parser. The emitters print code in exactly this format themselves (so loading
// TypeScript is not part of every generator run); the tests run every generated file through
// formatTypeScript and require it to come back unchanged, and to parse.
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

/** Formats TypeScript `text` (named `fileName` in messages); throws if it does not parse. */
export function formatTypeScript(fileName: string, text: string): string {
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, strict: true },
    manipulationSettings: { newLineKind: ts.NewLineKind.LineFeed, indentationText: '  ' as never },
  });
  const file = project.createSourceFile(`/${fileName}`, text);
  const diagnostics = project.getProgram().compilerObject.getSyntacticDiagnostics(file.compilerNode);
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
}
