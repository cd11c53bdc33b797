/**
 * The e-mails aigov sends (API-CONTRACT-2 §7 "Email"), each as a subject, a plain-text part
 * and an HTML part. Every mail carries both languages, Chinese first, then English: the
 * regulator's mail is an official notice, an account's language preference may be unknown
 * or out of date, and a recipient forwarding it to a colleague should not lose half of it.
 *
 * Interpolated text (titles built from product names, a user's name) is HTML-escaped in the
 * HTML part and stripped of control characters everywhere; links are built only from
 * `AIGOV_PUBLIC_URL` and a web path of this application, so a notification can never carry a
 * link to another site. Pure functions, no I/O.
 */

/** A mail ready for a transport. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface MailContext {
  /** `AIGOV_PUBLIC_URL`: links are made only when it is set. */
  publicUrl: string | undefined;
}

/** The product's name in mails, in both languages. */
export const PRODUCT_NAME = { zh: 'aigov 人工智能产业监管平台', en: 'aigov AI industry regulation platform' };

const SUBJECT_MAX_CHARS = 200;

/** `&`, `<`, `>`, `"` and `'` as entities: safe in element text and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Text fit for one line of a mail: control characters, line and bidi controls become spaces. */
export function oneLine(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- control characters are what is removed
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ')
      .replace(/ {2,}/g, ' ')
      .trim()
  );
}

function subjectOf(zh: string, en: string): string {
  const subject = oneLine(`${zh} / ${en}`);
  const chars = [...subject];
  return chars.length > SUBJECT_MAX_CHARS ? `${chars.slice(0, SUBJECT_MAX_CHARS - 1).join('')}…` : subject;
}

/**
 * The absolute URL of a web path of this application (`/filings/…`), or undefined when there
 * is no public URL or the path is not one of ours (`//evil.example`, `https://…`, `/\evil`).
 * A public URL with a path (`https://gov.example/aigov`) prefixes it.
 */
export function webLink(publicUrl: string | undefined, webPath: string | null | undefined): string | undefined {
  if (publicUrl === undefined || webPath === null || webPath === undefined) return undefined;
  if (!webPath.startsWith('/') || webPath.startsWith('//') || /[\\\s]/.test(webPath)) return undefined;
  let base: URL;
  try {
    base = new URL(publicUrl);
  } catch {
    return undefined;
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') return undefined;
  const link = new URL(base.origin + base.pathname.replace(/\/+$/, '') + webPath);
  return link.origin === base.origin ? link.href : undefined;
}

interface Section {
  /** Paragraphs of plain text. */
  paragraphs: string[];
  /** A call to action under the paragraphs. */
  action?: { label: string; href: string };
}

/** Lays out the two language sections and the footer in text and HTML. */
function bilingual(subject: string, zh: Section, en: Section): RenderedMail {
  const footer = {
    zh: `此邮件由${PRODUCT_NAME.zh}自动发送，请勿回复。`,
    en: `This message was sent automatically by the ${PRODUCT_NAME.en}. Please do not reply.`,
  };
  const textSection = (section: Section) => [
    ...section.paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...(section.action === undefined ? [] : [`${section.action.label}: ${section.action.href}`, '']),
  ];
  const text = [...textSection(zh), '----', '', ...textSection(en), '--', footer.zh, footer.en, ''].join('\n');

  const htmlSection = (lang: string, section: Section) =>
    [
      `<div lang="${lang}">`,
      ...section.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
      ...(section.action === undefined
        ? []
        : [`<p><a href="${escapeHtml(section.action.href)}">${escapeHtml(section.action.label)}</a></p>`]),
      '</div>',
    ].join('\n');
  const html = [
    '<!DOCTYPE html>',
    '<html lang="zh-CN">',
    '<head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5">',
    htmlSection('zh-CN', zh),
    '<hr>',
    htmlSection('en', en),
    '<hr>',
    `<p style="color: #666; font-size: small"><span lang="zh-CN">${escapeHtml(footer.zh)}</span><br>`,
    `<span lang="en">${escapeHtml(footer.en)}</span></p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return { subject, text, html };
}

/** An in-app notification (`notifications` module) as a mail to each addressee. */
export function notificationMail(
  notification: { titleZh: string; titleEn: string; link: string | null },
  context: MailContext,
): RenderedMail {
  const titleZh = oneLine(notification.titleZh);
  const titleEn = oneLine(notification.titleEn);
  const href = webLink(context.publicUrl, notification.link);
  return bilingual(
    subjectOf(titleZh, titleEn),
    {
      paragraphs: [
        '您好：',
        `您在${PRODUCT_NAME.zh}有一条新通知：`,
        titleZh,
        href === undefined ? '请登录平台查看详情。' : '详情请登录平台查看。',
      ],
      action: href === undefined ? undefined : { label: '查看', href },
    },
    {
      paragraphs: [
        'Hello,',
        `You have a new notification on the ${PRODUCT_NAME.en}:`,
        titleEn,
        href === undefined ? 'Sign in to the platform to see the details.' : 'Sign in to see the details.',
      ],
      action: href === undefined ? undefined : { label: 'View', href },
    },
  );
}

/**
 * A password reset (identity module, `POST /auth/password-reset-requests`). The token is in
 * the mail as text, and in the link's fragment (`#token=…`) — a fragment never reaches a
 * server's access log or a Referer header. `resetPath` is the web app's page for it.
 */
export function passwordResetMail(
  input: { name: string; resetToken: string; expiresInMinutes: number },
  context: MailContext & { resetPath?: string },
): RenderedMail {
  const name = oneLine(input.name);
  const token = oneLine(input.resetToken);
  const page = webLink(context.publicUrl, context.resetPath ?? '/reset-password');
  const href = page === undefined ? undefined : `${page}#token=${encodeURIComponent(token)}`;
  const minutes = String(input.expiresInMinutes);
  return bilingual(
    subjectOf('aigov 密码重置', 'aigov password reset'),
    {
      paragraphs: [
        `${name}，您好：`,
        '我们收到了重置您 aigov 账户密码的请求。',
        `重置令牌：${token}`,
        `有效期 ${minutes} 分钟，只能使用一次。如果不是您本人申请，请忽略此邮件，您的密码不会改变。`,
      ],
      action: href === undefined ? undefined : { label: '设置新密码', href },
    },
    {
      paragraphs: [
        `Hello ${name},`,
        'We received a request to reset the password of your aigov account.',
        `Reset token: ${token}`,
        `It is valid for ${minutes} minutes and works once. If you did not ask for it, ignore this message: ` +
          'your password stays as it is.',
      ],
      action: href === undefined ? undefined : { label: 'Choose a new password', href },
    },
  );
}

/**
 * To a registrant: the registration arrived and awaits verification. It carries no text the
 * registrant typed — anyone may register with anyone's address (see identity/mail-drop.ts).
 */
export function registrationReceivedMail(input: { uscc: string }, context: MailContext): RenderedMail {
  const uscc = oneLine(input.uscc);
  const href = webLink(context.publicUrl, '/login');
  return bilingual(
    subjectOf('aigov 机构注册已收到', 'organisation registration received'),
    {
      paragraphs: [
        '您好：',
        `您提交的机构注册（统一社会信用代码 ${uscc}）已收到，正在等待监管部门核验。` +
          '现在即可登录；核验通过后可以登记产品并备案。',
      ],
      action: href === undefined ? undefined : { label: '登录', href },
    },
    {
      paragraphs: [
        'Hello,',
        `Your organisation's registration (unified social credit code ${uscc}) was received and awaits ` +
          'verification by the regulator. You can sign in now; once it is verified you can register products ' +
          'and file.',
      ],
      action: href === undefined ? undefined : { label: 'Sign in', href },
    },
  );
}

/** To an account's owner: someone tried to register with the address (the API answered as for a new one). */
export function registrationEmailTakenMail(context: MailContext): RenderedMail {
  const href = webLink(context.publicUrl, '/login');
  return bilingual(
    subjectOf('aigov 注册尝试', 'registration attempt'),
    {
      paragraphs: [
        '您好：',
        '有人尝试用此邮箱地址注册新机构。此邮箱已有账户，因此没有创建任何注册。' +
          '如果是您本人：请直接登录，忘记密码可在登录页重置。如果不是您：无需处理，您的账户未受影响。',
      ],
      action: href === undefined ? undefined : { label: '登录', href },
    },
    {
      paragraphs: [
        'Hello,',
        'Someone tried to register an organisation with this e-mail address. This address already has an ' +
          'account, so no registration was created. If that was you, sign in instead (forgotten your password? ' +
          'reset it from the sign-in page). If it was not you, there is nothing to do: your account is unchanged.',
      ],
      action: href === undefined ? undefined : { label: 'Sign in', href },
    },
  );
}
