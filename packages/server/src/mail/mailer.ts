import nodemailer, { type Transporter } from 'nodemailer';

/** One e-mail, with both bodies. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends mail; rejects when the server refuses or does not answer in time. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

/** SMTP through nodemailer, with timeouts so a hanging server fails fast instead of piling up. */
export class SmtpMailer implements Mailer {
  private readonly _transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly _from: string,
    timeoutMs = 10_000,
  ) {
    // nodemailer reads connection options from the URL; its second argument only
    // holds message defaults, where timeouts would be silently ignored.
    const url = new URL(smtpUrl);
    for (const option of ['connectionTimeout', 'greetingTimeout', 'socketTimeout']) {
      if (!url.searchParams.has(option)) url.searchParams.set(option, String(timeoutMs));
    }
    this._transport = nodemailer.createTransport(url.toString());
  }

  async send(mail: Mail): Promise<void> {
    await this._transport.sendMail({ from: this._from, ...mail });
  }

  close(): void {
    this._transport.close();
  }
}
