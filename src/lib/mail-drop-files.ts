/**
 * The development mail drop as a {@link MailSender}: each message becomes a file in `dir`
 * (mode 0600, directory 0700), never a log line — a reset token is a credential. The file is
 * what `identity/mail-drop.ts` writes today (`To:`, `Subject:`, a blank line, the text part),
 * named `<date>-<id>.txt`, so its tests and habits carry over when the module switches to it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { MailMessage, MailSender } from './email-transport.ts';

export function createFileDropMailSender(dir: string, clock: { now(): Date }): MailSender {
  return {
    kind: 'file',
    async send(message: MailMessage) {
      if (!/^[A-Za-z0-9_-]{1,200}$/.test(message.id))
        throw new RangeError('mail id: letters, digits, "_" and "-" only');
      const date = message.date ?? clock.now();
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const name = `${date.toISOString().replace(/[:.]/g, '-')}-${message.id}.txt`;
      // One line each: a line break in either would forge the file's header lines.
      const header = (text: string) => text.replace(/[\r\n]+/g, ' ');
      const body = [`To: ${header(message.to)}`, `Subject: ${header(message.subject)}`, '', message.text].join('\n');
      await fs.promises.writeFile(path.join(dir, name), body, { mode: 0o600 });
      return { messageId: `<${message.id}@aigov.mail-drop>` };
    },
    close() {},
  };
}
