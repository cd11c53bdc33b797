// The SSRF table of issue #26. Nothing here sends a packet: IP literals are never looked up,
// names are answered by an injected lookup, and refused targets are never connected to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyAddress,
  type HostLookup,
  parseWebhookAllowHosts,
  resolveWebhookTarget,
  type WebhookTargetResult,
} from './ssrf-guard.ts';

/** A lookup answering from a table, counting calls; unknown names fail like getaddrinfo. */
function fakeDns(table: Record<string, string[]>) {
  const calls: string[] = [];
  const lookup: HostLookup = async (hostname) => {
    calls.push(hostname);
    const answers = table[hostname];
    if (answers === undefined)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { lookup, calls };
}

const DNS = fakeDns({
  'loopback.example': ['127.0.0.1'],
  'metadata.example': ['::ffff:169.254.169.254'],
  'mixed.example': ['93.184.215.14', '10.0.0.7'],
  'public.example': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'empty.example': [],
  'garbage.example': ['not-an-address'],
});

function refusedAddress(result: WebhookTargetResult): string {
  assert.equal(result.ok, false, 'refused');
  assert.ok(!result.ok);
  assert.equal(result.reason, 'forbidden_address', result.detail);
  return result.range ?? '';
}

const SSRF_TABLE: Array<[url: string, range: RegExp]> = [
  // The acceptance criteria's table…
  ['http://127.0.0.1/', /^loopback$/],
  ['http://[::1]:8080/hook', /^loopback$/],
  ['http://10.0.0.1/', /^private$/],
  ['http://10.255.255.255/', /^private$/],
  ['http://172.16.0.1/', /^private$/],
  ['http://172.31.255.254/', /^private$/],
  ['http://192.168.0.1/', /^private$/],
  ['http://169.254.169.254/latest/meta-data/', /^metadata$/],
  ['http://loopback.example/', /^loopback$/], // a host name resolving to 127.0.0.1
  ['http://[::ffff:127.0.0.1]/', /^ipv4Mapped:loopback$/], // an IPv4-mapped IPv6 address
  ['http://[::ffff:7f00:1]/', /^ipv4Mapped:loopback$/],
  // …and the rest of what must not be reached.
  ['http://metadata.example/', /^ipv4Mapped:metadata$/],
  ['http://mixed.example/', /^private$/], // one bad answer is enough
  ['http://127.8.9.10/', /^loopback$/],
  ['http://2130706433/', /^loopback$/], // URL reads decimal, hex and short forms as 127.0.0.1
  ['http://0x7f.1/', /^loopback$/],
  ['http://127.1/', /^loopback$/],
  ['http://0.0.0.0/', /^unspecified$/],
  ['http://[::]/', /^unspecified$/],
  ['http://169.254.0.1/', /^linkLocal$/],
  ['http://169.254.170.2/', /^metadata$/],
  ['http://100.64.0.1/', /^carrierGradeNat$/],
  ['http://100.100.100.200/', /^metadata$/],
  ['http://224.0.0.1/', /^multicast$/],
  ['http://255.255.255.255/', /^broadcast$/],
  ['http://192.0.0.192/', /^reserved$/],
  ['http://198.18.0.1/', /^reserved$/],
  ['http://240.0.0.1/', /^reserved$/],
  ['http://[fe80::1]/', /^linkLocal$/],
  ['http://[fc00::1]/', /^uniqueLocal$/],
  ['http://[fd12:3456::1]/', /^uniqueLocal$/],
  ['http://[fd00:ec2::254]/', /^metadata$/],
  ['http://[ff02::1]/', /^multicast$/],
  ['http://[::ffff:10.1.2.3]/', /^ipv4Mapped:private$/],
  ['http://[::ffff:0:7f00:1]/', /^ipv4Translated:loopback$/],
  ['http://[64:ff9b::a9fe:a9fe]/', /^nat64:metadata$/], // NAT64 of 169.254.169.254
  ['http://[64:ff9b::c0a8:101]/', /^nat64:private$/],
  ['http://[::7f00:1]/', /^ipv4Compatible$/], // IPv4-compatible ::127.0.0.1
  ['http://[2002:7f00:1::]/', /^6to4$/],
  ['http://[2001::1]/', /^teredo$/],
  ['http://[2001:db8::1]/', /^reserved$/],
];

test('the SSRF table: every loopback, private, link-local, metadata and special address is refused', async () => {
  for (const [url, range] of SSRF_TABLE) {
    const result = await resolveWebhookTarget(url, { lookup: DNS.lookup });
    assert.match(refusedAddress(result), range, url);
  }
});

test('the refusal says which address and range, and how to allow it', async () => {
  const result = await resolveWebhookTarget('http://loopback.example:9000/x', { lookup: DNS.lookup });
  assert.ok(!result.ok);
  assert.equal(result.address, '127.0.0.1');
  assert.equal(
    result.detail,
    'loopback.example resolves to 127.0.0.1, a loopback address (not allowed unless the host is in AIGOV_WEBHOOK_ALLOW_HOSTS)',
  );
});

test('IP literals are not looked up; names are, with every address returned', async () => {
  const dns = fakeDns({ 'public.example': ['93.184.215.14'] });
  await resolveWebhookTarget('http://10.0.0.1/', { lookup: dns.lookup });
  await resolveWebhookTarget('https://[2606:4700::1111]/', { lookup: dns.lookup });
  assert.deepEqual(dns.calls, []);
  await resolveWebhookTarget('https://public.example/', { lookup: dns.lookup });
  assert.deepEqual(dns.calls, ['public.example']);
});

test('public targets pass and are pinned to the first address resolved', async () => {
  const byName = await resolveWebhookTarget('https://Public.Example/hooks/aigov?x=1', { lookup: DNS.lookup });
  assert.ok(byName.ok, JSON.stringify(byName));
  assert.equal(byName.target.address, '93.184.215.14');
  assert.equal(byName.target.family, 4);
  assert.equal(byName.target.hostname, 'public.example');
  assert.equal(byName.target.servername, 'public.example');
  assert.equal(byName.target.port, 443);
  assert.equal(byName.target.protocol, 'https:');
  assert.equal(byName.target.allowListed, false);

  for (const url of ['http://93.184.215.14:8080/', 'https://[2606:4700::1111]/', 'http://[64:ff9b::808:808]/']) {
    const result = await resolveWebhookTarget(url, { lookup: DNS.lookup });
    assert.ok(result.ok, url);
    assert.equal(result.target.servername, undefined, 'no SNI for an IP literal');
  }
  const literal = await resolveWebhookTarget('http://[2606:4700::1111]:81/', { lookup: DNS.lookup });
  assert.ok(literal.ok);
  assert.equal(literal.target.address, '2606:4700::1111');
  assert.equal(literal.target.family, 6);
  assert.equal(literal.target.port, 81);
});

test('an allow-listed host passes whatever it resolves to; hosts match exactly', async () => {
  const { hosts, invalid } = parseWebhookAllowHosts(' loopback.example ,127.0.0.1,[::1], ::FFFF:7F00:1,, ');
  assert.deepEqual(invalid, []);
  const allowed = async (url: string) => {
    const result = await resolveWebhookTarget(url, { allowHosts: hosts, lookup: DNS.lookup });
    return result.ok;
  };
  assert.equal(await allowed('http://loopback.example:3000/hook'), true);
  assert.equal(await allowed('http://LOOPBACK.example/'), true, 'host names are case-insensitive');
  assert.equal(await allowed('http://127.0.0.1:3000/'), true);
  assert.equal(await allowed('http://[::1]/'), true);
  assert.equal(await allowed('http://[0:0:0:0:0:0:0:1]/'), true, 'one IPv6 literal, two spellings');
  assert.equal(await allowed('http://[::ffff:127.0.0.1]/'), true);

  assert.equal(await allowed('http://loopback.example./'), false, 'a trailing dot is another host');
  assert.equal(await allowed('http://sub.loopback.example/'), false, 'no suffix matching');
  assert.equal(await allowed('http://127.0.0.2/'), false);
  assert.equal(await allowed('http://localhost/'), false, 'allow-listing 127.0.0.1 does not allow-list a name');
  assert.equal(await allowed('http://10.0.0.1/'), false);

  const pinned = await resolveWebhookTarget('http://loopback.example:3000/', { allowHosts: hosts, lookup: DNS.lookup });
  assert.ok(pinned.ok);
  assert.equal(pinned.target.address, '127.0.0.1');
  assert.equal(pinned.target.allowListed, true);
});

test('the allow-list takes bare hosts only, in ASCII', () => {
  const { hosts, invalid } = parseWebhookAllowHosts(
    'Hooks.Example,bücher.example,http://x.example,x.example:8080,x.example/path,x.example?,x%41.example,a b,[x.example],127.1,user@x.example',
  );
  assert.deepEqual([...hosts], ['hooks.example', 'xn--bcher-kva.example']);
  assert.deepEqual(invalid, [
    'http://x.example',
    'x.example:8080',
    'x.example/path',
    'x.example?',
    'x%41.example',
    'a b',
    '[x.example]',
    '127.1',
    'user@x.example',
  ]);
  assert.equal(parseWebhookAllowHosts(undefined).hosts.size, 0);
});

test('only http and https URLs without credentials are targets', async () => {
  const reasons = async (url: string) => {
    const result = await resolveWebhookTarget(url, { lookup: DNS.lookup });
    return result.ok ? 'ok' : result.reason;
  };
  assert.equal(await reasons('not a url'), 'invalid_url');
  assert.equal(await reasons('/relative/path'), 'invalid_url');
  assert.equal(await reasons('ftp://public.example/'), 'unsupported_scheme');
  assert.equal(await reasons('file:///etc/passwd'), 'unsupported_scheme');
  assert.equal(await reasons('gopher://public.example/'), 'unsupported_scheme');
  assert.equal(await reasons('javascript:alert(1)'), 'unsupported_scheme');
  assert.equal(await reasons('https://user:pw@public.example/'), 'credentials_in_url');
  assert.equal(await reasons('https://user@public.example/'), 'credentials_in_url');
});

test('a name that does not resolve, resolves to nothing or too slowly is refused', async () => {
  const reason = async (url: string, lookup: HostLookup = DNS.lookup) => {
    const result = await resolveWebhookTarget(url, { lookup, lookupTimeoutMs: 50 });
    assert.ok(!result.ok);
    return `${result.reason}: ${result.detail}`;
  };
  assert.equal(await reason('http://nowhere.example/'), 'unresolvable: nowhere.example did not resolve (ENOTFOUND)');
  assert.equal(await reason('http://empty.example/'), 'unresolvable: empty.example has no address');
  assert.match(await reason('http://garbage.example/'), /^unresolvable: /);
  const hanging: HostLookup = () => new Promise(() => undefined);
  assert.equal(await reason('http://slow.example/', hanging), 'unresolvable: slow.example did not resolve (ETIMEOUT)');
});

test('classifyAddress: only global unicast is allowed', () => {
  assert.deepEqual(classifyAddress('93.184.215.14'), { range: 'unicast', allowed: true });
  assert.deepEqual(classifyAddress('172.32.0.1'), { range: 'unicast', allowed: true }, 'just past 172.16/12');
  assert.deepEqual(classifyAddress('172.15.255.255'), { range: 'unicast', allowed: true }, 'just before 172.16/12');
  assert.deepEqual(classifyAddress('100.128.0.1'), { range: 'unicast', allowed: true }, 'just past 100.64/10');
  assert.deepEqual(classifyAddress('2606:4700::1111'), { range: 'unicast', allowed: true });
  assert.deepEqual(classifyAddress('::ffff:8.8.8.8'), { range: 'ipv4Mapped:unicast', allowed: true });
  assert.deepEqual(classifyAddress('fe80::1%eth0'), { range: 'linkLocal', allowed: false });
  assert.throws(() => classifyAddress('localhost'), RangeError);
  assert.throws(() => classifyAddress('127.1'), RangeError);
});
