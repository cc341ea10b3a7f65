import nodemailer, { Transporter } from 'nodemailer';

export interface OutgoingMail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
}

/** Sends plain-text mail over SMTP (the local mail catcher in development, `SMTP_URL` for real). */
export class Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from = 'Continuum <no-reply@continuum.local>',
  ) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async send(mail: OutgoingMail): Promise<string> {
    const info = await this.transport.sendMail({ from: this.from, to: mail.to.join(', '), subject: mail.subject, text: mail.text });
    return info.messageId;
  }

  close(): void {
    this.transport.close();
  }
}
