import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorResponse, MeResponse } from '@resolutionflow/types';
import { decodeJwt, decodeProtectedHeader, exportPKCS8, importJWK, SignJWT, type CryptoKey } from 'jose';
import { createWorld, type TestWorld } from './test/harness.js';
import { createEmbedToken } from './token.js';

let world: TestWorld;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(() => world.close());

const user = { id: 'u-42', name: 'Sam Rivera', email: 'sam@msp.example' };
const me = (token: string) => world.call('GET', '/v1/me', { token });
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('createEmbedToken', () => {
  it('should mint a token the server accepts, with the claims the design names', async () => {
    const token = await createEmbedToken({
      privateKey: world.a.privateJwk,
      user,
      role: 'engineer',
      ttl: 900,
    });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: world.a.kid, typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      sub: 'u-42',
      aud: 'resolutionflow',
      role: 'engineer',
      name: 'Sam Rivera',
      email: user.email,
    });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);

    const response = await me(token);
    expect(response.status).toBe(200);
    expect((await response.json()) as MeResponse).toMatchObject({
      auth: 'embed_token',
      user: { id: 'u-42', name: 'Sam Rivera', email: 'sam@msp.example', role: 'engineer' },
      account: { id: world.a.id },
    });
  });

  it('should accept a PKCS#8 PEM or a CryptoKey with an explicit kid', async () => {
    const key = (await importJWK(world.a.privateJwk, 'ES256', { extractable: true })) as CryptoKey;
    const pem = await exportPKCS8(key);
    for (const privateKey of [pem, key]) {
      const token = await createEmbedToken({ privateKey, kid: world.a.kid, user, role: 'viewer' });
      expect((await me(token)).status).toBe(200);
    }
  });

  it.each([3601, 7200, 0, -5, Number.NaN, Number.POSITIVE_INFINITY])(
    'should refuse a ttl of %s',
    async (ttl) => {
      await expect(
        createEmbedToken({ privateKey: world.a.privateJwk, user, role: 'admin', ttl }),
      ).rejects.toThrow(RangeError);
    },
  );

  it('should require a kid when the key does not carry one', async () => {
    const { kid: _kid, ...withoutKid } = world.a.privateJwk;
    await expect(createEmbedToken({ privateKey: withoutKid, user, role: 'admin' })).rejects.toThrow(/kid/);
    const pem = await exportPKCS8(
      (await importJWK(world.a.privateJwk, 'ES256', { extractable: true })) as CryptoKey,
    );
    await expect(createEmbedToken({ privateKey: pem, user, role: 'admin' })).rejects.toThrow(/kid/);
  });

  it('should be refused by the server once expired, using the `now` override', async () => {
    const token = await createEmbedToken({
      privateKey: world.a.privateJwk,
      user,
      role: 'admin',
      ttl: 600,
      now: nowSeconds() - 3600,
    });
    const response = await me(token);
    expect(response.status).toBe(401);
    expect(((await response.json()) as ErrorResponse).error.code).toBe('token_expired');
  });
});

describe('token lifetime cap', () => {
  const sign = async (claims: { iat?: number; exp: number }, extra: Record<string, unknown> = {}) => {
    const jwt = new SignJWT({ role: 'admin', name: 'Long Lived', ...extra })
      .setProtectedHeader({ alg: 'ES256', kid: world.a.kid })
      .setSubject('u-1')
      .setAudience('resolutionflow')
      .setExpirationTime(claims.exp);
    if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
    return jwt.sign(await importJWK(world.a.privateJwk, 'ES256'));
  };

  it('should refuse a token whose lifetime is over the cap (exp = iat + 7200)', async () => {
    const now = nowSeconds();
    const response = await me(await sign({ iat: now, exp: now + 7200 }));
    expect(response.status).toBe(401);
    expect(((await response.json()) as ErrorResponse).error.message).toMatch(/lifetime/i);
  });

  it('should refuse a token without iat that expires beyond the cap', async () => {
    const response = await me(await sign({ exp: nowSeconds() + 7200 }));
    expect(response.status).toBe(401);
  });

  it('should refuse a future iat that makes a long remaining life look short', async () => {
    const now = nowSeconds();
    expect((await me(await sign({ iat: now + 3000, exp: now + 6500 }))).status).toBe(401);
  });

  it('should accept a lifetime of exactly the cap', async () => {
    const now = nowSeconds();
    expect((await me(await sign({ iat: now, exp: now + 3600 }))).status).toBe(200);
  });

  it('should apply a lower cap from TOKEN_MAX_LIFETIME_SECONDS', async () => {
    const strict = await createWorld({ env: { TOKEN_MAX_LIFETIME_SECONDS: '600' } });
    try {
      const long = await createEmbedToken({
        privateKey: strict.a.privateJwk,
        user,
        role: 'admin',
        ttl: 1200,
      });
      const short = await createEmbedToken({
        privateKey: strict.a.privateJwk,
        user,
        role: 'admin',
        ttl: 600,
      });
      expect((await strict.call('GET', '/v1/me', { token: long })).status).toBe(401);
      expect((await strict.call('GET', '/v1/me', { token: short })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('should refuse a correctly signed token with an unknown role', async () => {
    const now = nowSeconds();
    const response = await me(await sign({ iat: now, exp: now + 600 }, { role: 'superuser' }));
    expect(response.status).toBe(401);
    expect(((await response.json()) as ErrorResponse).error.message).toMatch(/role/);
  });
});
