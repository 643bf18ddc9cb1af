// Where a document comes from, and which other documents it may pull in. One rule set for local
// files and fetched URLs, used both when the URLs are fetched (input/load.ts) and when the reader
// meets an xs:import, xs:include or wsdl:import with a location (wsdl/schema-reader.ts):
//
// - a location is resolved relative to the document that names it;
// - a local file may import local files (relative paths or file: URLs), never a URL: a build that
//   reads files should not reach the network behind the user's back;
// - a fetched document may import only http(s) locations of its own origin (scheme, host, port)
//   or of an origin the user allowed; never a file: location, so a server cannot make us read
//   local files.
import { isAbsolute, relative, resolve as resolvePath, dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GenerateError } from '../errors.js';

export type DocRef = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'url'; readonly url: string };

export interface FetchPolicy {
  /** Origins (`https://host:port`) fetched documents may import from, besides their own input's. */
  readonly allowedOrigins?: readonly string[];
}

/** True for inputs we fetch rather than read: `http://…` and `https://…`. */
export function isUrl(input: string): boolean {
  return /^https?:\/\//i.test(input);
}

/** The key two references to one document share (a URL without its fragment, an absolute path). */
export function docKey(ref: DocRef): string {
  return ref.kind === 'file' ? ref.path : ref.url;
}

/** How a document is named in messages: a path relative to the working directory, or the URL without secrets. */
export function docLabel(ref: DocRef): string {
  if (ref.kind === 'url') return redactUrl(ref.url);
  const rel = relative(process.cwd(), ref.path);
  return (rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : ref.path).split(sep).join('/');
}

const SECRET_PARAM = /ticket|token|pass|secret|key|auth|sig|session/i;

/** A URL fit for messages and generated files: no user:password, no ticket/token/key query values. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Not a URL the parser reads, so its parts are unknown: no user info, no query, no fragment.
    return url.replace(/\/\/[^/?#]*@/, '//***@').replace(/[?#].*$/s, '?***');
  }
  if (u.username || u.password) {
    u.username = '***';
    u.password = '';
  }
  if (u.search) u.search = redactQuery(u.search.slice(1));
  u.hash = '';
  return u.href;
}

/** `wsdl&ticket=7T:abc` → `wsdl&ticket=***`. Rebuilt by hand: URLSearchParams would turn `?wsdl` into `?wsdl=`. */
function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq > 0 && SECRET_PARAM.test(decodeURIComponentSafe(pair.slice(0, eq))) ? `${pair.slice(0, eq)}=***` : pair;
    })
    .join('&');
}

/**
 * A location as an import names it (xs:import/xs:include schemaLocation, wsdl:import location),
 * fit for messages: a URL as redactUrl shows it; a relative reference (`x.xsd?ticket=…`,
 * `//user:pw@host/x.xsd`) with the same secrets hidden, its fragment dropped.
 */
export function redactLocation(location: string): string {
  location = location.trim(); // (as resolveLocation reads it)
  // A network path written percent-encoded (`%2F%2Fuser:pw@host/x.xsd`) is shown decoded, as it is read.
  const decoded = decodeURIComponentSafe(location);
  if (decoded !== location && /^[/\\]{2}/.test(decoded)) return redactLocation(decoded);
  // `admin:pw@host/x.xsd`: new URL reads `admin:` as the scheme and the rest as a path, so redactUrl would find no user info.
  if (carriesUserInfo(location)) location = location.replace(/[\t\n\r]/g, '').replace(USER_INFO, '$1***@');
  if (hasScheme(location)) return redactUrl(location);
  const noFragment = location.replace(/#.*$/s, '');
  const q = noFragment.indexOf('?');
  const path = q < 0 ? noFragment : noFragment.slice(0, q);
  return q < 0 ? path : `${path}?${redactQuery(noFragment.slice(q + 1))}`;
}

/**
 * User info at the start of an address, where a URL parser looks for it: `user:password@` before the
 * first `/`, `?` or `#` of the authority, after `scheme://`, `//` or nothing (`admin:pw@host/...`,
 * which new URL reads as the scheme `admin:` and a path), slashes either way round (`https:\\`),
 * leading spaces and control characters skipped, tabs and newlines dropped (as the parser does).
 * An '@' in the path, query or fragment is none. The runtime's no-address error leaves it out by
 * the same rule (templates/runtime/agent.ts #noAddress; test/soap-address-user-info.test.ts
 * gives both the same addresses): the runtime cannot import the generator, nor the published
 * generator the runtime's built module.
 */
const USER_INFO = /^[\0- ]*((?:[a-z][a-z\d+.-]*:)?[\\/]+)?[^/?#]*@/i;

/** Whether `address` carries user info (USER_INFO). */
export function carriesUserInfo(address: string): boolean {
  return USER_INFO.test(address.replace(/[\t\n\r]/g, ''));
}

/**
 * Whether `address` carries a secret redactUrl hides: user info (USER_INFO), or a query pair whose
 * name says it is one (SECRET_PARAM: `?ticket=…`, `&token=…`).
 */
export function carriesSecrets(address: string): boolean {
  const query = /\?([^#]*)/s.exec(address.replace(/[\t\n\r]/g, ''))?.[1];
  return carriesUserInfo(address) || (query !== undefined && redactQuery(query) !== query);
}

/** True for `https:…`, `file:…`, `urn:…`; false for a relative reference and a Windows path such as `C:\x.xsd`. */
function hasScheme(location: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(location) && !/^[a-z]:[\\/]/i.test(location);
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The origins a fetched input may import from: its own, plus the allowed ones. */
export function originsFor(input: DocRef, policy: FetchPolicy): Set<string> {
  const origins = new Set<string>();
  if (input.kind === 'url') origins.add(new URL(input.url).origin);
  for (const o of policy.allowedOrigins ?? []) origins.add(normalizeOrigin(o));
  return origins;
}

/**
 * Refuses an allowed origin (--allow-origin, a config's "allow-origin") that is not an http(s) URL:
 * it would match no document, and as text that is not a URL it was recorded in the headers and the
 * manifest as given (`me:s3cret@host`: the password with it). Quoted only when it reads as a host.
 */
export function checkOrigin(origin: string, name = '--allow-origin', file?: string): void {
  let url: URL | undefined;
  try {
    url = new URL(origin);
  } catch {
    // not a URL: refused below
  }
  if (url?.protocol === 'http:' || url?.protocol === 'https:') return;
  const shown = /^[A-Za-z\d.-]+(:\d{1,5})?$/.test(origin) ? `"${origin}"` : '(not shown: it may hold a password)';
  throw new GenerateError(`${name} ${shown} is not an origin such as https://host`, file !== undefined ? { file } : undefined);
}

/** `https://Host:443/x` → `https://host`; a value that is not an http(s) origin is returned as given (it matches nothing). */
export function normalizeOrigin(origin: string): string {
  try {
    const u = new URL(origin);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : origin;
  } catch {
    return origin;
  }
}

/**
 * Resolves `location` found in the document `from`. Throws an Error whose message says why a
 * location is refused (the caller adds where it was found).
 */
export function resolveLocation(location: string, from: DocRef, origins: ReadonlySet<string>): DocRef {
  // White space around it is not part of it (xs:anyURI collapses white space): a location that
  // starts with a space is still a URL, or a network path.
  location = location.trim();
  if (location === '') throw new Error('the location is empty');
  if (from.kind === 'file') {
    const notLocal = (shown: string) =>
      new Error(`"${redactLocation(shown)}" is not a local file: a local WSDL imports only local files (save the document next to it, or generate from the URL)`);
    // A file: URL naming a host (`file://host/share/x.xsd`) is a network path on Windows.
    if (/^file:/i.test(location)) {
      if (new URL(location).host !== '') throw notLocal(location);
      return { kind: 'file', path: fileURLToPath(new URL(location)) };
    }
    // `//host/x.xsd` is a URL without its scheme, `\\host\x.xsd` a Windows network path (read over
    // the network), also once percent-decoded (`%2F%2Fhost/x.xsd`: the path read is the decoded one);
    // a query (`x.xsd?ticket=…`) is one no file has. All are refused here, so a path made of them
    // (user info, a ticket) is never shown unredacted, nor a network host reached.
    const path = decodeLocalPath(location);
    if (hasScheme(location)) throw notLocal(location);
    if (/^[/\\]{2}/.test(path)) throw notLocal(path);
    if (location.includes('?')) {
      throw new Error(`"${redactLocation(location)}" is not a local file: a file location has no query ("?…"; a "?" in a file name is written %3F)`);
    }
    return { kind: 'file', path: resolvePath(dirname(from.path), path) };
  }
  let url: URL;
  try {
    url = new URL(location, from.url);
  } catch {
    throw new Error(`"${redactLocation(location)}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`"${redactUrl(url.href)}" is refused: a fetched document may only import http(s) locations, never ${url.protocol} ones`);
  }
  if (!origins.has(url.origin)) {
    throw new Error(
      `"${redactUrl(url.href)}" is refused: it is on another origin than the WSDL (${[...origins].join(', ')}); allow it with --allow-origin ${url.origin}`,
    );
  }
  url.hash = '';
  return { kind: 'url', url: url.href };
}

/** `schemas/My%20Types.xsd` → `schemas/My Types.xsd` (a schemaLocation is a URI reference). */
function decodeLocalPath(location: string): string {
  return decodeURIComponentSafe(location.split('#')[0]!);
}
