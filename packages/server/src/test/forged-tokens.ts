import { exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';

/** The defects a forged or stale embed token can carry; each must be refused with 401. */
export const FORGED_KINDS = [
  'expired',
  'not yet valid',
  'wrong aud',
  'alg none',
  'HS256 with the public key',
  'unknown kid',
] as const;
export type ForgedKind = (typeof FORGED_KINDS)[number];

/** One forged token, named for the attack it tries. */
export interface Forgery {
  name: string;
  token: string;
}

/** The account whose key a forger knows the public half of (the tests also hold the private half). */
export interface ForgeTarget {
  privateJwk: JWK;
  kid: string;
}

/** Every forged token claims the most a token can: an admin. Accepting one shows up as a 2xx. */
const ADMIN_CLAIMS = { role: 'admin', name: 'Mallory' };
const SUBJECT = 'admin-1';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A JWT with the given header and admin claims, signed with `key` under `alg`. */
function adminJwt(
  header: Record<string, unknown>,
  times: { iat: number; exp: number; nbf?: number },
  aud: string | null,
) {
  const jwt = new SignJWT(ADMIN_CLAIMS)
    .setProtectedHeader({ typ: 'JWT', ...header } as unknown as { alg: string })
    .setSubject(SUBJECT)
    .setIssuedAt(times.iat)
    .setExpirationTime(times.exp)
    .setJti(crypto.randomUUID());
  if (aud !== null) jwt.setAudience(aud);
  if (times.nbf !== undefined) jwt.setNotBefore(times.nbf);
  return jwt;
}

/** A token signed with the account's real ES256 key, with the given times and audience (null: none). */
export async function signedBy(
  target: ForgeTarget,
  times: { iat: number; exp: number; nbf?: number },
  aud: string | null = 'resolutionflow',
): Promise<string> {
  return adminJwt({ alg: 'ES256', kid: target.kid }, times, aud).sign(
    await importJWK(target.privateJwk, 'ES256'),
  );
}

/** An unsigned token (`alg` as given, empty signature) naming the account's kid. */
function unsigned(alg: string, kid: string, signature = ''): string {
  const now = nowSeconds();
  const payload = { ...ADMIN_CLAIMS, sub: SUBJECT, aud: 'resolutionflow', iat: now, exp: now + 600 };
  return `${b64({ alg, kid, typ: 'JWT' })}.${b64(payload)}.${signature}`;
}

/**
 * Every forgery per kind: the first of each is the canonical one (what the
 * permission matrix sends); the rest are variants of the same attack.
 */
export async function forgedVariants(target: ForgeTarget): Promise<Record<ForgedKind, Forgery[]>> {
  const now = nowSeconds();
  const { d: _private, ...publicJwk } = target.privateJwk as JWK & { d: string };
  const publicKey = (await importJWK(publicJwk, 'ES256', { extractable: true })) as CryptoKey;
  const publicPem = await exportSPKI(publicKey);
  const publicBytes = {
    'the SPKI PEM': new TextEncoder().encode(publicPem),
    'the public JWK JSON': new TextEncoder().encode(JSON.stringify(publicJwk)),
    'the PEM without armour': new Uint8Array(
      Buffer.from(publicPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'),
    ),
  };
  const hmac = async (alg: 'HS256' | 'HS384' | 'HS512', secret: Uint8Array) =>
    adminJwt({ alg, kid: target.kid }, { iat: now, exp: now + 600 }, 'resolutionflow').sign(secret);
  const stranger = await generateKeyPair('ES256', { extractable: true });
  const strangerJwk = await exportJWK(stranger.publicKey);
  const byStranger = (header: Record<string, unknown>) =>
    adminJwt({ alg: 'ES256', ...header }, { iat: now, exp: now + 600 }, 'resolutionflow').sign(
      stranger.privateKey,
    );
  const realSignature = (await signedBy(target, { iat: now, exp: now + 600 })).split('.')[2]!;

  return {
    expired: [
      { name: 'expired 2 minutes ago', token: await signedBy(target, { iat: now - 900, exp: now - 120 }) },
      { name: 'expired a day ago', token: await signedBy(target, { iat: now - 86_460, exp: now - 86_400 }) },
    ],
    'not yet valid': [
      {
        name: 'nbf in 10 minutes',
        token: await signedBy(target, { iat: now, nbf: now + 600, exp: now + 900 }),
      },
      {
        name: 'iat and nbf in 10 minutes',
        token: await signedBy(target, { iat: now + 600, nbf: now + 600, exp: now + 900 }),
      },
    ],
    'wrong aud': [
      {
        name: 'aud someone-else',
        token: await signedBy(target, { iat: now, exp: now + 600 }, 'someone-else'),
      },
      { name: 'no aud', token: await signedBy(target, { iat: now, exp: now + 600 }, null) },
      {
        name: 'aud differing in case',
        token: await signedBy(target, { iat: now, exp: now + 600 }, 'ResolutionFlow'),
      },
    ],
    'alg none': [
      { name: 'alg none, empty signature', token: unsigned('none', target.kid) },
      { name: 'alg None', token: unsigned('None', target.kid) },
      { name: 'alg NONE', token: unsigned('NONE', target.kid) },
      { name: 'alg none with a real signature kept', token: unsigned('none', target.kid, realSignature) },
    ],
    'HS256 with the public key': [
      { name: 'HS256 keyed with the SPKI PEM', token: await hmac('HS256', publicBytes['the SPKI PEM']) },
      {
        name: 'HS256 keyed with the public JWK JSON',
        token: await hmac('HS256', publicBytes['the public JWK JSON']),
      },
      {
        name: 'HS256 keyed with the DER bytes',
        token: await hmac('HS256', publicBytes['the PEM without armour']),
      },
      { name: 'HS384 keyed with the SPKI PEM', token: await hmac('HS384', publicBytes['the SPKI PEM']) },
      { name: 'HS512 keyed with the SPKI PEM', token: await hmac('HS512', publicBytes['the SPKI PEM']) },
    ],
    'unknown kid': [
      { name: 'a kid no account has', token: await byStranger({ kid: 'rfk_00000000000000000000' }) },
      {
        name: 'the key carried in the header (jwk)',
        token: await byStranger({ kid: 'rfk_embedded', jwk: strangerJwk }),
      },
      {
        name: 'a jku pointing elsewhere',
        token: await byStranger({ kid: 'rfk_remote', jku: 'https://evil.example/jwks.json' }),
      },
      { name: 'no kid at all', token: await byStranger({}) },
      // A kid is looked up in the database: text PostgreSQL refuses must be a 401, not a 500.
      { name: 'a kid with NUL and quotes', token: await byStranger({ kid: "rfk_\u0000'; --" }) },
      { name: "the account's kid, a stranger's signature", token: await byStranger({ kid: target.kid }) },
    ],
  };
}

/** The canonical forgery of each kind (first variant), for one-token-per-column tables. */
export async function forgedTokens(target: ForgeTarget): Promise<Record<ForgedKind, string>> {
  const variants = await forgedVariants(target);
  return Object.fromEntries(FORGED_KINDS.map((kind) => [kind, variants[kind][0]!.token])) as Record<
    ForgedKind,
    string
  >;
}
