import nodemailer, { Transporter } from 'nodemailer';
import { eventually, testRun } from '@continuum/testing';
import { smokeEnv } from './smoke-env';

interface CaughtEmail {
  subject: string;
  text?: string;
  to: { address: string }[];
  from: { address: string }[];
}

// SMTP into the mail catcher (maildev), read back through its REST API.
describe('smoke: SMTP + mail catcher', () => {
  let transport: Transporter;

  beforeAll(() => {
    transport = nodemailer.createTransport(smokeEnv.smtpUrl);
  });

  afterAll(() => transport?.close());

  it('delivers an email that GET /api/email then lists', async () => {
    const subject = testRun('smoke-smtp').name('Refund abandoned');
    const info = await transport.sendMail({
      from: 'continuum@localhost',
      to: 'ops@localhost',
      subject,
      text: 'Refund of 1999 minor units was abandoned after 3 attempts.',
    });
    expect(info.accepted).toEqual(['ops@localhost']);

    const email = await eventually(
      async () => {
        const res = await fetch(`${smokeEnv.maildevUrl}/api/email`);
        expect(res.status).toBe(200);
        const emails = (await res.json()) as CaughtEmail[];
        return emails.find((e) => e.subject === subject);
      },
      'the email in maildev',
      { timeoutMs: 10000 },
    );
    expect(email.to.map((t) => t.address)).toEqual(['ops@localhost']);
    expect(email.from.map((f) => f.address)).toEqual(['continuum@localhost']);
    expect(email.text).toContain('1999 minor units');
  });
});
