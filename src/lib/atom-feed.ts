/**
 * A small Atom 1.0 (RFC 4287) writer for the public warnings feed
 * (`GET /api/v1/public/warnings.atom`, `application/atom+xml`). Pure.
 *
 * What the writer guarantees:
 * - the feed has `id`, `title`, `updated`, an `author` (RFC 4287 §4.1.1: unless every entry
 *   has one) and a `link rel="self"`; every entry has `id`, `title`, `updated`, and a
 *   `content` or a `link rel="alternate"` (§4.1.2);
 * - ids are absolute IRIs (§4.2.6) — use `tagUri` (RFC 4151) or `uuidUrn` (RFC 4122) for ids
 *   that never change; links are absolute http(s) URLs (no `xml:base` needed);
 * - dates are RFC 3339 in UTC (§3.3);
 * - all text is plain (`type="text"`): nothing a reader renders as markup;
 * - the document is well-formed XML 1.0 whatever the text holds: every `&`, `<` and `>` is
 *   escaped (also when it looks like an entity already: "&amp;" in a reason is eight
 *   characters of text), carriage returns are written as `&#xD;` so a parser gives them
 *   back, and characters XML 1.0 cannot carry at all (U+0000–U+001F other than tab, LF and
 *   CR, lone surrogates, U+FFFE, U+FFFF) become U+FFFD.
 *
 * Why not a library: xmlbuilder2 (4.0.3) leaves an `&` unescaped when it is followed by
 * something entity-shaped ("R&D;" → an undefined entity, "&amp;" → read back as "&";
 * oozcitak/xmlbuilder2#117 is open), and `feed` needs a link and date per entry and offers
 * no control over ids. The serializer below is some forty lines and is tested against a
 * strict XML parser (saxes).
 */

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';
/** The `Content-Type` of an Atom feed (RFC 4287 §7). */
export const ATOM_CONTENT_TYPE = 'application/atom+xml; charset=utf-8';

export interface AtomPerson {
  readonly name: string;
  readonly uri?: string;
  readonly email?: string;
}

export interface AtomCategory {
  readonly term: string;
  readonly scheme?: string;
  readonly label?: string;
}

export interface AtomEntry {
  /** An absolute IRI that never changes for this entry (`tagUri`, `uuidUrn`). */
  readonly id: string;
  readonly title: string;
  /** The last significant change (for a warning: `liftedAt ?? issuedAt`). */
  readonly updated: Date;
  readonly published?: Date;
  readonly summary?: string;
  readonly content?: string;
  /** `link rel="alternate"`: the entry's page. Required when there is no `content`. */
  readonly link?: string;
  readonly authors?: readonly AtomPerson[];
  readonly categories?: readonly AtomCategory[];
  /** `xml:lang` of the entry, when it differs from the feed's. */
  readonly lang?: string;
}

export interface AtomFeed {
  /** An absolute IRI that never changes for this feed. */
  readonly id: string;
  readonly title: string;
  readonly subtitle?: string;
  /** The last significant change to the feed (the latest entry's `updated`, typically). */
  readonly updated: Date;
  /** The feed's own URL (`link rel="self"`). */
  readonly selfLink: string;
  /** A page showing the same content (`link rel="alternate"`). */
  readonly alternateLink?: string;
  /** Required unless every entry has authors (RFC 4287 §4.1.1). */
  readonly authors?: readonly AtomPerson[];
  readonly rights?: string;
  readonly generator?: { readonly name: string; readonly uri?: string; readonly version?: string };
  /** `xml:lang` of the feed, e.g. `zh-CN` or `en`. */
  readonly lang?: string;
  readonly entries: readonly AtomEntry[];
}

/** A feed that RFC 4287 does not allow; `problems` lists every one, each led by its pointer. */
export class AtomFeedError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid Atom feed: ${problems.join('; ')}`);
    this.name = 'AtomFeedError';
  }
}

// ---------------------------------------------------------------------------------------
// XML

/** An element: attributes in order, then either text or child elements. */
interface XmlElement {
  readonly name: string;
  readonly attributes: [string, string][];
  readonly children: XmlElement[];
  text?: string;
}

function element(name: string, attributes: Record<string, string> = {}, text?: string): XmlElement {
  return { name, attributes: Object.entries(attributes), children: [], ...(text === undefined ? {} : { text }) };
}

function add(parent: XmlElement, child: XmlElement): XmlElement {
  parent.children.push(child);
  return child;
}

// XML 1.0 §2.2 Char: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF. With the `u`
// flag a lone surrogate is one code point outside these ranges.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function escapeText(value: string): string {
  return value
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#xD;');
}

/** Attribute values also escape `"` and the whitespace a parser would otherwise normalise to spaces. */
function escapeAttribute(value: string): string {
  return escapeText(value).replaceAll('"', '&quot;').replaceAll('\t', '&#x9;').replaceAll('\n', '&#xA;');
}

function serialize(node: XmlElement, indent: string, out: string[]): void {
  const attributes = node.attributes.map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`).join('');
  if (node.text !== undefined && node.text !== '') {
    out.push(`${indent}<${node.name}${attributes}>${escapeText(node.text)}</${node.name}>`);
  } else if (node.children.length === 0) {
    out.push(`${indent}<${node.name}${attributes}/>`);
  } else {
    out.push(`${indent}<${node.name}${attributes}>`);
    for (const child of node.children) serialize(child, `${indent}  `, out);
    out.push(`${indent}</${node.name}>`);
  }
}

// ---------------------------------------------------------------------------------------
// Atom

const SCHEME_PATTERN = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
const LANG_PATTERN = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;

function isAbsoluteIri(value: string): boolean {
  return typeof value === 'string' && SCHEME_PATTERN.test(value);
}

function httpUrl(value: string, pointer: string, problems: string[]): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
  } catch {
    // reported below
  }
  problems.push(`${pointer}: must be an absolute http(s) URL (got ${JSON.stringify(value)})`);
  return String(value);
}

function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/** RFC 3339 in UTC; milliseconds only when there are some. */
function rfc3339(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

function checkText(value: string | undefined, pointer: string, problems: string[], required = false): void {
  if (value === undefined) {
    if (required) problems.push(`${pointer}: is required`);
  } else if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${pointer}: must be a non-empty string`);
  }
}

function addPeople(parent: XmlElement, people: readonly AtomPerson[], at: string, problems: string[]): void {
  people.forEach((person, index) => {
    const pointer = `${at}/${index}`;
    checkText(person.name, `${pointer}/name`, problems, true);
    const author = add(parent, element('author'));
    add(author, element('name', {}, String(person.name ?? '')));
    if (person.uri !== undefined) add(author, element('uri', {}, httpUrl(person.uri, `${pointer}/uri`, problems)));
    if (person.email !== undefined) {
      if (!/^[^\s@]+@[^\s@]+$/.test(person.email)) problems.push(`${pointer}/email: must be an e-mail address`);
      add(author, element('email', {}, person.email));
    }
  });
}

function addCommon(
  parent: XmlElement,
  item: { readonly id: string; readonly title: string; readonly updated: Date },
  at: string,
  problems: string[],
): void {
  if (!isAbsoluteIri(item.id)) {
    problems.push(`${at}/id: must be an absolute IRI such as a tag: or urn:uuid: URI (got ${JSON.stringify(item.id)})`);
  }
  checkText(item.title, `${at}/title`, problems, true);
  if (!isValidDate(item.updated)) problems.push(`${at}/updated: must be a valid Date`);
  add(parent, element('id', {}, String(item.id)));
  add(parent, element('title', { type: 'text' }, String(item.title ?? '')));
  add(parent, element('updated', {}, isValidDate(item.updated) ? rfc3339(item.updated) : ''));
}

function langAttribute(lang: string | undefined, pointer: string, problems: string[]): Record<string, string> {
  if (lang === undefined) return {};
  if (!LANG_PATTERN.test(lang)) problems.push(`${pointer}: must be a language tag such as zh-CN or en`);
  return { 'xml:lang': lang };
}

function addEntry(feed: XmlElement, entry: AtomEntry, at: string, problems: string[]): void {
  const node = add(feed, element('entry', langAttribute(entry.lang, `${at}/lang`, problems)));
  addCommon(node, entry, at, problems);
  if (entry.published !== undefined) {
    if (!isValidDate(entry.published)) problems.push(`${at}/published: must be a valid Date`);
    else add(node, element('published', {}, rfc3339(entry.published)));
  }
  if (entry.authors !== undefined) addPeople(node, entry.authors, `${at}/authors`, problems);
  for (const [index, category] of (entry.categories ?? []).entries()) {
    checkText(category.term, `${at}/categories/${index}/term`, problems, true);
    const attributes: Record<string, string> = { term: oneLine(category.term ?? '') };
    if (category.scheme !== undefined) {
      if (!isAbsoluteIri(category.scheme)) problems.push(`${at}/categories/${index}/scheme: must be an absolute IRI`);
      attributes['scheme'] = category.scheme;
    }
    if (category.label !== undefined) attributes['label'] = oneLine(category.label);
    add(node, element('category', attributes));
  }
  if (entry.link !== undefined) {
    add(
      node,
      element('link', { rel: 'alternate', type: 'text/html', href: httpUrl(entry.link, `${at}/link`, problems) }),
    );
  }
  checkText(entry.summary, `${at}/summary`, problems);
  checkText(entry.content, `${at}/content`, problems);
  if (entry.summary !== undefined) add(node, element('summary', { type: 'text' }, entry.summary));
  if (entry.content !== undefined) add(node, element('content', { type: 'text' }, entry.content));
  if (entry.content === undefined && entry.link === undefined) {
    problems.push(`${at}: an entry without content needs a link (RFC 4287 §4.1.2)`);
  }
}

/**
 * The feed as an Atom 1.0 document (UTF-8, with the XML declaration). Throws `AtomFeedError`
 * listing every problem when the feed breaks a requirement of RFC 4287 (see the module
 * comment); entries are written in the order given (newest first, by convention).
 */
export function renderAtomFeed(feed: AtomFeed): string {
  const problems: string[] = [];
  const root = element('feed', { xmlns: ATOM_NAMESPACE, ...langAttribute(feed.lang, '/lang', problems) });
  addCommon(root, feed, '', problems);
  checkText(feed.subtitle, '/subtitle', problems);
  if (feed.subtitle !== undefined) add(root, element('subtitle', { type: 'text' }, feed.subtitle));
  const self = httpUrl(feed.selfLink, '/selfLink', problems);
  add(root, element('link', { rel: 'self', type: 'application/atom+xml', href: self }));
  if (feed.alternateLink !== undefined) {
    const href = httpUrl(feed.alternateLink, '/alternateLink', problems);
    add(root, element('link', { rel: 'alternate', type: 'text/html', href }));
  }
  const authors = feed.authors ?? [];
  if (authors.length === 0 && !feed.entries.every((entry) => (entry.authors ?? []).length > 0)) {
    problems.push('/authors: a feed needs an author unless every entry has one (RFC 4287 §4.1.1)');
  }
  addPeople(root, authors, '/authors', problems);
  checkText(feed.rights, '/rights', problems);
  if (feed.rights !== undefined) add(root, element('rights', { type: 'text' }, feed.rights));
  if (feed.generator !== undefined) {
    const { name, uri, version } = feed.generator;
    checkText(name, '/generator/name', problems, true);
    const attributes: Record<string, string> = {};
    if (uri !== undefined) attributes['uri'] = httpUrl(uri, '/generator/uri', problems);
    if (version !== undefined) attributes['version'] = oneLine(version);
    add(root, element('generator', attributes, String(name ?? '')));
  }
  const ids = new Set<string>();
  feed.entries.forEach((entry, index) => {
    // §4.1.1: entries with the same id are one entry; this feed never repeats one.
    if (ids.has(entry.id)) problems.push(`/entries/${index}/id: "${entry.id}" is repeated`);
    ids.add(entry.id);
    addEntry(root, entry, `/entries/${index}`, problems);
  });
  if (problems.length > 0) throw new AtomFeedError(problems);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  serialize(root, '', out);
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------
// Ids that never change

const TAG_AUTHORITY_PATTERN = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|[^\s@]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)$/;
const TAG_DATE_PATTERN = /^\d{4}(?:-\d{2}(?:-\d{2})?)?$/;
const TAG_SPECIFIC_PATTERN = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;

/**
 * A tag URI (RFC 4151): `tag:<authority>,<date>:<specific>`, e.g.
 * `tag:aigov.sz.gov.cn,2026:warnings/42`. The authority is a domain name (or e-mail address)
 * the deployment held on `date` (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`); both must stay the same
 * for the life of the feed, or readers see every entry as new.
 */
export function tagUri(authority: string, date: string, specific: string): string {
  if (!TAG_AUTHORITY_PATTERN.test(authority))
    throw new RangeError(`tag authority must be a domain name or e-mail address`);
  if (!TAG_DATE_PATTERN.test(date)) throw new RangeError(`tag date must be YYYY, YYYY-MM or YYYY-MM-DD`);
  if (!TAG_SPECIFIC_PATTERN.test(specific)) {
    throw new RangeError(`tag specific part must be URI path characters (percent-encode others)`);
  }
  return `tag:${authority.toLowerCase()},${date}:${specific}`;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A `urn:uuid:` URI (RFC 4122 §3) of a UUID, lower-case. */
export function uuidUrn(uuid: string): string {
  if (!UUID_PATTERN.test(uuid)) throw new RangeError(`not a UUID: ${JSON.stringify(uuid)}`);
  return `urn:uuid:${uuid.toLowerCase()}`;
}
