// Paths as the kernel sees them, for the modules that need it: the command in the headers
// (input/command.ts), inputs named twice and globs through links (input/config.ts) and outputs
// nested in one another (output/write.ts); and how messages show a path relative to a folder.
// A neutral module: input and output do not import each other.
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';

/** `path` relative to `from`, with `/` separators on every platform (as messages and commands show paths); `.` for `from` itself. */
export function slashRelative(from: string, path: string): string {
  return relative(from, path).split(sep).join('/') || '.';
}

/**
 * `p` (absolute) with its symbolic links resolved: the real path of its nearest existing folder,
 * and the rest as given. Paths are compared as the kernel sees them, so `wsdl/EMail.wsdl` and
 * "$PWD/wsdl/EMail.wsdl" in a folder reached through a link are one path, and `..` is the real
 * parent, as process.cwd() and every other module resolve it.
 */
export function physical(p: string): string {
  const rest: string[] = [];
  for (let dir = p; ; dir = dirname(dir)) {
    try {
      const real = join(realpathSync(dir), ...rest);
      // A pipe's link (/dev/fd/63 → /proc/<pid>/fd/pipe:[<inode>]) names no path, and a new one every
      // run: the pipe is named as given.
      return rest.length === 0 && !existsSync(real) ? p : real;
    } catch {
      if (dirname(dir) === dir) return p;
      rest.unshift(basename(dir));
    }
  }
}

/**
 * An existing path with every link resolved (one system call, realpath(3)); undefined when there is
 * nothing there. For comparing files and folders that exist; `physical` names paths in messages
 * and commands (it keeps a pipe's name and a path not made yet).
 */
export function realPath(p: string): string | undefined {
  try {
    return realpathSync.native(p);
  } catch {
    return undefined;
  }
}
