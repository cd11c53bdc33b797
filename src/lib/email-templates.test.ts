import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  escapeHtml,
  notificationMail,
  oneLine,
  passwordResetMail,
  registrationEmailTakenMail,
  registrationReceivedMail,
  webLink,
} from './email-templates.ts';

const PUBLIC_URL = 'https://aigov.example.gov.cn';

test('a notification mail has both languages, Chinese first, in text and HTML, with a link to the object', () => {
  const mail = notificationMail(
    {
      titleZh: '监管部门要求补充材料：深圳市人工智能医疗影像辅助诊断系统',
      titleEn: 'The regulator requests information: AI imaging assistant',
      link: '/filings/0195f3a0-0000-7000-8000-000000000001',
    },
    { publicUrl: PUBLIC_URL },
  );
  assert.equal(
    mail.subject,
    '监管部门要求补充材料：深圳市人工智能医疗影像辅助诊断系统 / The regulator requests information: AI imaging assistant',
  );
  const href = 'https://aigov.example.gov.cn/filings/0195f3a0-0000-7000-8000-000000000001';
  for (const part of [mail.text, mail.html]) {
    const zh = part.indexOf('监管部门要求补充材料');
    const en = part.indexOf('The regulator requests information');
    assert.ok(zh >= 0 && en > zh, 'Chinese, then English');
    assert.ok(part.includes(href));
  }
  assert.match(mail.text, /^查看: https:\/\/aigov\.example\.gov\.cn\/filings\//m);
  assert.match(mail.text, /^View: https:\/\/aigov\.example\.gov\.cn\/filings\//m);
  assert.match(mail.html, /<div lang="zh-CN">[\s\S]*<div lang="en">/);
  assert.ok(mail.html.includes(`<a href="${href}">查看</a>`));
});

test('titles are escaped in HTML and kept to one line everywhere', () => {
  const mail = notificationMail(
    {
      titleZh: '预警：<script>alert("x")</script> & 产品',
      titleEn: 'Warning: <img src=x onerror=alert(1)>\r\nBcc: victim@example.com',
      link: null,
    },
    { publicUrl: PUBLIC_URL },
  );
  assert.ok(!mail.html.includes('<script>'));
  assert.ok(!mail.html.includes('<img'));
  assert.ok(mail.html.includes('预警：&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; 产品'));
  assert.ok(!/[\r\n]/.test(mail.subject));
  assert.ok(mail.subject.endsWith('Warning: <img src=x onerror=alert(1)> Bcc: victim@example.com'));
  assert.ok(mail.text.includes('Warning: <img src=x onerror=alert(1)> Bcc: victim@example.com\n'));
  assert.ok(!mail.text.includes('\r'));
});

test('without a public URL, or with a path that is not ours, a mail has no link', () => {
  const noUrl = notificationMail({ titleZh: '标题', titleEn: 'Title', link: '/filings/1' }, { publicUrl: undefined });
  assert.ok(!noUrl.html.includes('<a '));
  assert.ok(noUrl.text.includes('请登录平台查看详情。'));
  assert.ok(noUrl.text.includes('Sign in to the platform to see the details.'));
  for (const link of [
    '//evil.example/x',
    'https://evil.example/',
    '/\\evil.example',
    'filings/1',
    '/a b',
    'javascript:x',
  ]) {
    const mail = notificationMail({ titleZh: '标题', titleEn: 'Title', link }, { publicUrl: PUBLIC_URL });
    assert.ok(!mail.html.includes('<a '), link);
    assert.ok(!mail.text.includes('evil'), link);
  }
});

test('webLink: web paths under the public URL, its own path kept', () => {
  assert.equal(webLink(PUBLIC_URL, '/filings/1'), 'https://aigov.example.gov.cn/filings/1');
  assert.equal(
    webLink(`${PUBLIC_URL}/`, '/filings/1?tab=docs#top'),
    'https://aigov.example.gov.cn/filings/1?tab=docs#top',
  );
  assert.equal(webLink('https://gov.example/aigov/', '/filings/1'), 'https://gov.example/aigov/filings/1');
  assert.equal(webLink('https://gov.example', '/@evil.example'), 'https://gov.example/@evil.example');
  assert.equal(webLink('https://gov.example', '/../../etc'), 'https://gov.example/etc');
  assert.equal(webLink(undefined, '/filings/1'), undefined);
  assert.equal(webLink(PUBLIC_URL, null), undefined);
  assert.equal(webLink('ftp://gov.example', '/x'), undefined);
});

test('a password reset mail carries the token as text and in the link fragment, in both languages', () => {
  const token = 'aigov_rst_AbC-123_xyz';
  const mail = passwordResetMail(
    { name: '李<四>', resetToken: token, expiresInMinutes: 60 },
    { publicUrl: PUBLIC_URL },
  );
  assert.equal(mail.subject, 'aigov 密码重置 / aigov password reset');
  const href = `https://aigov.example.gov.cn/reset-password#token=${token}`;
  assert.ok(mail.text.includes(`重置令牌：${token}`));
  assert.ok(mail.text.includes(`Reset token: ${token}`));
  assert.ok(mail.text.includes('有效期 60 分钟'));
  assert.ok(mail.text.includes('valid for 60 minutes'));
  assert.ok(mail.text.includes(`设置新密码: ${href}`));
  assert.ok(mail.html.includes(`<a href="${href}">Choose a new password</a>`));
  assert.ok(mail.html.includes('李&#60;四&#62;，您好：'));
  assert.ok(mail.text.startsWith('李<四>，您好：'));

  const custom = passwordResetMail(
    { name: 'A', resetToken: 't', expiresInMinutes: 30 },
    { publicUrl: PUBLIC_URL, resetPath: '/account/reset' },
  );
  assert.ok(custom.text.includes('https://aigov.example.gov.cn/account/reset#token=t'));
  const noLink = passwordResetMail({ name: 'A', resetToken: 't', expiresInMinutes: 30 }, { publicUrl: undefined });
  assert.ok(!noLink.html.includes('<a '));
  assert.ok(noLink.text.includes('重置令牌：t'));
});

test('the registration mails carry no registrant text and both languages', () => {
  const received = registrationReceivedMail({ uscc: '91440300MA5FXXXX1X' }, { publicUrl: PUBLIC_URL });
  assert.equal(received.subject, 'aigov 机构注册已收到 / organisation registration received');
  assert.ok(received.text.includes('统一社会信用代码 91440300MA5FXXXX1X'));
  assert.ok(received.text.includes('unified social credit code 91440300MA5FXXXX1X'));
  assert.ok(received.text.includes('登录: https://aigov.example.gov.cn/login'));

  const taken = registrationEmailTakenMail({ publicUrl: PUBLIC_URL });
  assert.equal(taken.subject, 'aigov 注册尝试 / registration attempt');
  assert.ok(taken.text.includes('此邮箱已有账户'));
  assert.ok(taken.text.includes('This address already has an account'));
});

test('every mail has the automatic-message footer in both languages', () => {
  const context = { publicUrl: PUBLIC_URL };
  for (const mail of [
    notificationMail({ titleZh: '标题', titleEn: 'Title', link: null }, context),
    passwordResetMail({ name: 'A', resetToken: 't', expiresInMinutes: 60 }, context),
    registrationReceivedMail({ uscc: 'X' }, context),
    registrationEmailTakenMail(context),
  ]) {
    assert.ok(mail.text.includes('请勿回复'), mail.subject);
    assert.ok(mail.text.includes('Please do not reply'), mail.subject);
    assert.ok(mail.html.startsWith('<!DOCTYPE html>\n<html lang="zh-CN">'));
  }
});

test('escapeHtml and oneLine', () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&amp;</a>`),
    '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;amp;&#60;/a&#62;',
  );
  assert.equal(oneLine(' a\r\nb\u2028c\u202Ed\u0000  e '), 'a b c d e');
});

test('a long subject is cut at 200 characters', () => {
  const mail = notificationMail({ titleZh: '长'.repeat(300), titleEn: 'long', link: null }, { publicUrl: undefined });
  assert.equal([...mail.subject].length, 200);
  assert.ok(mail.subject.endsWith('…'));
});
