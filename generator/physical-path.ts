// Paths as the kernel sees them, for the modules that need it: the command in the headers
// (input/command.ts), inputs named twice and globs through links (input/config.ts) and outputs
// nested in one another (output/write.ts); and how messages show a path relative to a folder.
// A neutral module: input and output do not import each other.
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';

/**
 * `path` as messages and commands show it from the folder `from`, with `/` separators on every
 * platform: relative to `from` (`.` for `from` itself), unless that climbs all the way up to the
 * file-system root — then the absolute path. A relative form that only meets `from` at the root
 * (`../../dev/fd/63` for a pipe, `../../../opt/wsdl/EMail.wsdl`) depends on how deep `from` is and
 * names nothing a reader recognises, while `/dev/fd/63` is the name given and the same from
 * everywhere. A path sharing a folder with `from` (`../contracts/EMail.wsdl`, a repository beside
 * the project) stays relative: the same for everyone whose checkouts lie side by side, wherever
 * that is on their machine.
 */
export function slashRelative(from: string, path: string): string {
  const rel = relative(from, path);
  // A `rel` that climbs from folders below different top folders climbs to the root. (isAbsolute: another drive, on Windows.)
  const shown = isAbsolute(rel) || (rel.startsWith('..') && topFolder(from) !== topFolder(path)) ? resolve(path) : rel;
  return shown.split(sep).join('/') || '.';
}

/** The folder right below the file-system root that `p` is in (`work` for /work/main), '' for the root itself. */
function topFolder(p: string): string {
  const absolute = resolve(p);
  return absolute.slice(parse(absolute).root.length).split(sep)[0]!;
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
