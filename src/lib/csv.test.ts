import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toCsvLine } from './csv.ts';

test('RFC 4180 quoting and CSV-injection neutralisation', () => {
  assert.equal(toCsvLine(['a', 1, null, undefined]), 'a,1,,\r\n');
  assert.equal(toCsvLine(['x,y', 'say "hi"', 'line\nbreak']), '"x,y","say ""hi""","line\nbreak"\r\n');
  assert.equal(toCsvLine(['=SUM(A1)', '+1', '-2', '@x']), "'=SUM(A1),'+1,'-2,'@x\r\n");
  assert.equal(toCsvLine(['医疗影像']), '医疗影像\r\n');
});
