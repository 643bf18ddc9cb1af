// Texts of files already read, kept by a watch run between its runs. A module of its own, beside
// neither the reader nor the emitters: both the reader's cache (read-cache.ts, for the WSDLs) and the
// writer (output/write.ts, for the output files) use it, and the writer must not reach the emitters,
// which read-cache.ts names through the emit cache (test/generator/layering.test.ts).
import { lstatSync, statSync } from 'node:fs';

/**
 * Texts of files already read, by path, kept while the file's stat is the same (device, inode,
 * size, modification and change time in nanoseconds): a watch run reads again only the WSDLs and
 * output files that changed, instead of all of them (bench case watch: every run compared all 56
 * WSDLs and every output file, ≈ 36 ms plus the garbage of 12 MB of strings).
 */
export class FileTexts {
  readonly #texts = new Map<string, { readonly stamp: string; readonly text: string }>();

  /**
   * The text of `path` as `read` returns it, or as returned last time when the file has not
   * changed since. `follow`: stat the file a link points to (inputs); otherwise the path itself
   * (outputs, where a link is not a file of ours). Undefined when it is not a regular file.
   */
  text(path: string, follow: boolean, read: () => string): string | undefined {
    const stat = (follow ? statSync : lstatSync)(path, { bigint: true, throwIfNoEntry: false });
    if (!stat?.isFile()) {
      this.#texts.delete(path);
      return undefined;
    }
    const stamp = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
    const known = this.#texts.get(path);
    if (known?.stamp === stamp) return known.text;
    const text = read();
    this.#texts.set(path, { stamp, text });
    return text;
  }
}
