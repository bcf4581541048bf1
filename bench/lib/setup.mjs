import {
  createAccount,
  createApiKey,
  createEmbedToken,
  createSigningKey,
  openDatabase,
} from '../../packages/server/dist/index.js';

/**
 * Creates an account with a signing key and an API key in a fresh database
 * file, before the server starts, and returns a token minter.
 */
export async function seedAccount(databasePath) {
  const database = openDatabase(databasePath);
  const now = Date.now();
  const account = createAccount(database, { name: 'Bench MSP' }, now);
  const key = await createSigningKey(database, account.id, now);
  const apiKey = createApiKey(database, account.id, 'bench', now).secret;
  database.close();
  return {
    accountId: account.id,
    apiKey,
    token: (role = 'engineer', id = 'bench-user') =>
      createEmbedToken({ privateKey: key.privateJwk, role, user: { id, name: 'Bench User' }, ttl: 3600 }),
  };
}

export { escalationBody } from './setup-shapes.mjs';
