/** The decoded text/plain and text/html parts of a raw multipart MIME message. */
export function mimeBodies(raw: string): { text: string; html: string } {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  const found = { text: '', html: '' };
  for (const part of raw.split(`--${boundary}`).slice(1)) {
    const split = part.indexOf('\r\n\r\n');
    const head = part.slice(0, split);
    let body = part.slice(split + 4).replace(/\r\n$/, '');
    const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
    if (encoding === 'base64') body = Buffer.from(body, 'base64').toString('utf8');
    if (encoding === 'quoted-printable') {
      const bytes = body
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      body = Buffer.from(bytes, 'latin1').toString('utf8');
    }
    body = body.replace(/\r\n/g, '\n');
    if (/content-type:\s*text\/plain/i.test(head)) found.text = body;
    if (/content-type:\s*text\/html/i.test(head)) found.html = body;
  }
  return found;
}
