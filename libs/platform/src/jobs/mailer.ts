import nodemailer, { Transporter } from 'nodemailer';

export interface OutgoingMail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
}

/**
 * Each step of an SMTP send gives up after this long (connecting, the greeting, a silent socket),
 * where nodemailer's defaults wait minutes: a consumer that finds an email claimed by another
 * process waits for that send (SENDING_WINDOW_MS), so a send must not outlast the window.
 */
export const SMTP_STEP_TIMEOUT_MS = 15_000;

/** Sends plain-text mail over SMTP (the local mail catcher in development, `SMTP_URL` for real). */
export class Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from = 'Continuum <no-reply@continuum.local>',
  ) {
    this.transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: SMTP_STEP_TIMEOUT_MS, greetingTimeout: SMTP_STEP_TIMEOUT_MS, socketTimeout: SMTP_STEP_TIMEOUT_MS });
  }

  async send(mail: OutgoingMail): Promise<string> {
    const info = await this.transport.sendMail({ from: this.from, to: mail.to.join(', '), subject: mail.subject, text: mail.text });
    return info.messageId;
  }

  close(): void {
    this.transport.close();
  }
}
