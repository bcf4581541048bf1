import {
  createAccount,
  createApiKey,
  createEmbedToken,
  createSigningKey,
  openDatabase,
} from '../../packages/server/dist/index.js';

/**
 * What the server's openDatabase takes: a path is a SQLite file (FULL), `{ url }` PostgreSQL.
 * `synchronous`: for SQLite seeding that need not be durable ('NORMAL').
 */
export function databaseTarget(database, { synchronous } = {}) {
  if (typeof database === 'string') return { dialect: 'sqlite', path: database, synchronous };
  return { dialect: 'postgres', url: database.url, poolSize: 4 };
}

/**
 * Creates an account with a signing key and an API key in a fresh database (a SQLite file path,
 * or `{ url }` of a PostgreSQL database), before the server starts, and returns a token minter.
 */
export async function seedAccount(database) {
  return (await seedAccounts(database, 1))[0];
}

/** `count` accounts as {@link seedAccount} makes one, over one connection. */
export async function seedAccounts(database, count) {
  const db = await openDatabase(databaseTarget(database));
  const now = Date.now();
  const seeded = [];
  try {
    for (let n = 0; n < count; n++) {
      const account = await createAccount(db, { name: `Bench MSP ${n + 1}` }, now);
      const key = await createSigningKey(db, account.id, now);
      const apiKey = (await createApiKey(db, account.id, 'bench', now)).secret;
      seeded.push({
        accountId: account.id,
        apiKey,
        token: (role = 'engineer', id = 'bench-user') =>
          createEmbedToken({ privateKey: key.privateJwk, role, user: { id, name: 'Bench User' }, ttl: 3600 }),
      });
    }
    return seeded;
  } finally {
    await db.close();
  }
}

export { escalationBody } from './setup-shapes.mjs';
