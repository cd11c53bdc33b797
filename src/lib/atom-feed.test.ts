import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SaxesParser } from 'saxes';
import { ATOM_CONTENT_TYPE, ATOM_NAMESPACE, AtomFeedError, renderAtomFeed, tagUri, uuidUrn } from './atom-feed.ts';
import type { AtomEntry, AtomFeed } from './atom-feed.ts';

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/** An element as a strict, namespace-aware XML 1.0 parser (saxes) reads it. */
interface XmlElement {
  readonly uri: string;
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

/** Parses `xml`, throwing on anything not well-formed XML 1.0 with namespaces. */
function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = {
      uri: tag.uri,
      name: tag.local,
      attributes: Object.fromEntries(
        Object.values(tag.attributes).map((attribute) => [
          attribute.uri === XML_NAMESPACE ? `xml:${attribute.local}` : attribute.name,
          attribute.value,
        ]),
      ),
      children: [],
      text: '',
    };
    if (stack.length === 0) root = element;
    else stack.at(-1)!.children.push(element);
    stack.push(element);
  });
  parser.on('text', (text) => {
    if (stack.length > 0) stack.at(-1)!.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  assert.ok(root, 'no root element');
  return root;
}

function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name && child.uri === ATOM_NAMESPACE);
}

function only(element: XmlElement, name: string): XmlElement {
  const found = children(element, name);
  assert.equal(found.length, 1, `exactly one atom:${name}`);
  return found[0]!;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

const WARNING_ENTRY: AtomEntry = {
  id: uuidUrn('6F1C2B0A-9D3E-4C5B-8A7F-0123456789AB'),
  title: '红色预警：某医疗影像辅助诊断系统',
  updated: new Date('2026-04-03T08:00:00Z'),
  published: new Date('2026-04-01T02:00:00.250Z'),
  summary: '发生致人死亡的严重事件，产品暂停，直至预警解除。',
  content: '原因：…\n措施：\n1. 立即停止提供受影响的产品或服务\n2. 立即提交事件报告',
  link: 'https://aigov.example.cn/register/products/42',
  categories: [{ term: 'red', scheme: 'https://aigov.example.cn/warning-levels', label: '红色 red' }],
};

function feed(overrides: Partial<AtomFeed> = {}): AtomFeed {
  return {
    id: tagUri('aigov.example.cn', '2026', 'warnings'),
    title: '人工智能产品风险预警',
    subtitle: 'Orange and red warnings',
    updated: new Date('2026-04-03T08:00:00Z'),
    selfLink: 'https://aigov.example.cn/api/v1/public/warnings.atom',
    alternateLink: 'https://aigov.example.cn/warnings',
    authors: [{ name: '深圳市人工智能产业主管部门', uri: 'https://aigov.example.cn/' }],
    generator: { name: 'aigov', uri: 'https://github.com/example/aigov', version: '0.1.0' },
    lang: 'zh-CN',
    entries: [
      WARNING_ENTRY,
      {
        id: tagUri('aigov.example.cn', '2026', 'warnings/7'),
        title: 'Orange warning: a credit scoring model',
        updated: new Date('2026-03-01T00:00:00Z'),
        summary: 'A serious incident on a high-risk product.',
        link: 'https://aigov.example.cn/register/products/7',
        lang: 'en',
      },
    ],
    ...overrides,
  };
}

function problemsOf(value: AtomFeed): readonly string[] {
  try {
    renderAtomFeed(value);
  } catch (error) {
    assert.ok(error instanceof AtomFeedError, String(error));
    return error.problems;
  }
  assert.fail('expected an AtomFeedError');
}

test('the feed parses as namespaced XML and has every element RFC 4287 requires', () => {
  const xml = renderAtomFeed(feed());
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>/);
  const root = parseXml(xml);
  assert.equal(root.uri, ATOM_NAMESPACE);
  assert.equal(root.name, 'feed');
  assert.equal(root.attributes['xml:lang'], 'zh-CN');
  assert.equal(only(root, 'id').text, 'tag:aigov.example.cn,2026:warnings');
  assert.equal(only(root, 'title').text, '人工智能产品风险预警');
  assert.equal(only(root, 'updated').text, '2026-04-03T08:00:00Z');
  assert.deepEqual(
    children(root, 'link').map(({ attributes }) => [attributes['rel'], attributes['href']]),
    [
      ['self', 'https://aigov.example.cn/api/v1/public/warnings.atom'],
      ['alternate', 'https://aigov.example.cn/warnings'],
    ],
  );
  assert.equal(only(only(root, 'author'), 'name').text, '深圳市人工智能产业主管部门');
  assert.equal(only(root, 'generator').attributes['version'], '0.1.0');

  const entries = children(root, 'entry');
  assert.equal(entries.length, 2);
  for (const entry of entries) {
    assert.match(only(entry, 'id').text, /^(tag|urn):/);
    assert.ok(only(entry, 'title').text.length > 0);
    assert.match(only(entry, 'updated').text, RFC3339);
    assert.ok(children(entry, 'content').length === 1 || children(entry, 'link').length === 1);
  }
  const [first, second] = entries as [XmlElement, XmlElement];
  assert.equal(only(first, 'id').text, 'urn:uuid:6f1c2b0a-9d3e-4c5b-8a7f-0123456789ab');
  assert.equal(only(first, 'published').text, '2026-04-01T02:00:00.250Z');
  assert.equal(new Date(only(first, 'published').text).getTime(), WARNING_ENTRY.published!.getTime());
  assert.equal(only(first, 'content').text, WARNING_ENTRY.content);
  assert.equal(only(first, 'content').attributes['type'], 'text');
  assert.deepEqual(only(first, 'category').attributes, {
    term: 'red',
    scheme: 'https://aigov.example.cn/warning-levels',
    label: '红色 red',
  });
  assert.deepEqual(only(first, 'link').attributes, {
    rel: 'alternate',
    type: 'text/html',
    href: 'https://aigov.example.cn/register/products/42',
  });
  assert.equal(second.attributes['xml:lang'], 'en');
  assert.equal(children(second, 'content').length, 0);
  assert.equal(ATOM_CONTENT_TYPE, 'application/atom+xml; charset=utf-8');
});

test('text survives the round trip through a real parser, whatever it holds', () => {
  const tricky = [
    'a < b && c > d',
    'quotes " and \' and ]]> and <![CDATA[x]]>',
    '&amp; is not an ampersand here, nor &#x3C; a less-than',
    'R&D; costs &foo; and &#; and &#65; stay text',
    '<script>alert("x")</script>',
    '深圳 · 𝄞 emoji 🚦 and tabs\tand\nnew lines',
    'trailing spaces   ',
  ];
  for (const value of tricky) {
    const xml = renderAtomFeed(
      feed({
        title: value,
        authors: [{ name: value }],
        entries: [
          {
            ...WARNING_ENTRY,
            title: value,
            summary: value,
            content: value,
            categories: [{ term: 'x', label: value.replace(/\s+/g, ' ').trim() }],
          },
        ],
      }),
    );
    const root = parseXml(xml);
    const entry = only(root, 'entry');
    assert.equal(only(root, 'title').text, value);
    assert.equal(only(only(root, 'author'), 'name').text, value);
    assert.equal(only(entry, 'title').text, value);
    assert.equal(only(entry, 'summary').text, value);
    assert.equal(only(entry, 'content').text, value);
    assert.equal(only(entry, 'category').attributes['label'], value.replace(/\s+/g, ' ').trim());
    assert.doesNotMatch(xml, /<script>/);
  }
  // Carriage returns are written as &#xD;, so a parser gives them back rather than normalising them.
  const crlf = parseXml(renderAtomFeed(feed({ title: 'one\r\ntwo\rthree' })));
  assert.equal(only(crlf, 'title').text, 'one\r\ntwo\rthree');
  // A URL with characters that need escaping in an attribute.
  const link = 'https://aigov.example.cn/register?q=a&b="c"&lang=zh';
  const entry = only(parseXml(renderAtomFeed(feed({ entries: [{ ...WARNING_ENTRY, link }] }))), 'entry');
  assert.equal(only(entry, 'link').attributes['href'], new URL(link).href);
});

test('characters XML 1.0 cannot carry become U+FFFD and the document stays well-formed', () => {
  const value = 'nul\u0000 soh\u0001 vt\u000B ff\u000C us\u001F lone\uD800 nonchar\uFFFE\uFFFF end';
  const root = parseXml(renderAtomFeed(feed({ title: value, entries: [{ ...WARNING_ENTRY, content: value }] })));
  const expected = 'nul\uFFFD soh\uFFFD vt\uFFFD ff\uFFFD us\uFFFD lone\uFFFD nonchar\uFFFD\uFFFD end';
  assert.equal(only(root, 'title').text, expected);
  assert.equal(only(only(root, 'entry'), 'content').text, expected);
});

test('the parser used here does reject what is not well-formed (the checks above can fail)', () => {
  assert.throws(() => parseXml('<feed xmlns="http://www.w3.org/2005/Atom"><title>a & b</title></feed>'));
  assert.throws(() => parseXml('<feed xmlns="http://www.w3.org/2005/Atom"><title>a \u0001 b</title></feed>'));
  assert.throws(() => parseXml('<feed><title>x</feed>'));
  assert.throws(() => parseXml('<feed><x:title>x</x:title></feed>'));
});

test('an empty feed is valid with a feed author', () => {
  const root = parseXml(renderAtomFeed(feed({ entries: [] })));
  assert.equal(children(root, 'entry').length, 0);
  assert.equal(children(root, 'author').length, 1);
});

test('what RFC 4287 forbids is refused, every problem at once', () => {
  assert.deepEqual(
    problemsOf(
      feed({
        id: 'warnings',
        title: ' ',
        updated: new Date(Number.NaN),
        selfLink: '/api/v1/public/warnings.atom',
        authors: [],
        lang: 'zh_CN',
        entries: [
          { id: 'urn:uuid:x', title: 'no content, no link', updated: new Date('2026-01-01T00:00:00Z') },
          { ...WARNING_ENTRY, id: 'urn:uuid:x', link: 'ftp://example.cn/x', summary: '' },
        ],
      }),
    ),
    [
      '/lang: must be a language tag such as zh-CN or en',
      '/id: must be an absolute IRI such as a tag: or urn:uuid: URI (got "warnings")',
      '/title: must be a non-empty string',
      '/updated: must be a valid Date',
      '/selfLink: must be an absolute http(s) URL (got "/api/v1/public/warnings.atom")',
      '/authors: a feed needs an author unless every entry has one (RFC 4287 §4.1.1)',
      '/entries/0: an entry without content needs a link (RFC 4287 §4.1.2)',
      '/entries/1/id: "urn:uuid:x" is repeated',
      '/entries/1/link: must be an absolute http(s) URL (got "ftp://example.cn/x")',
      '/entries/1/summary: must be a non-empty string',
    ],
  );
  // Entry authors stand in for the feed's.
  assert.doesNotThrow(() =>
    renderAtomFeed(feed({ authors: [], entries: [{ ...WARNING_ENTRY, authors: [{ name: '审查处' }] }] })),
  );
});

test('stable ids: tag URIs (RFC 4151) and urn:uuid', () => {
  assert.equal(tagUri('AIGOV.sz.gov.cn', '2026-01', 'warnings/42'), 'tag:aigov.sz.gov.cn,2026-01:warnings/42');
  assert.equal(
    tagUri('regulator@example.cn', '2026-01-15', 'w:1?x=%20'),
    'tag:regulator@example.cn,2026-01-15:w:1?x=%20',
  );
  assert.throws(() => tagUri('bad host', '2026', 'x'), RangeError);
  assert.throws(() => tagUri('example.cn', '26', 'x'), RangeError);
  assert.throws(() => tagUri('example.cn', '2026', 'has space'), RangeError);
  assert.throws(() => tagUri('example.cn', '2026', '100%'), RangeError);
  assert.equal(uuidUrn('00000000-0000-4000-8000-000000000000'), 'urn:uuid:00000000-0000-4000-8000-000000000000');
  assert.throws(() => uuidUrn('42'), RangeError);
});
