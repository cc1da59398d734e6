/**
 * Keys Baton generates for itself and shares between replicas (migrations/0003_signing_keys.sql). Race-free when
 * several replicas start at once: each offers its own random candidate, the first insert wins, and every caller
 * reads back the winner.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';

export class SigningKeys {
  constructor(private readonly db: Kysely<DB>) {}

  /** The key stored for `purpose`; `candidate` becomes it when none is stored yet. */
  async getOrCreate(purpose: string, candidate: string): Promise<string> {
    await this.db.insertInto('signing_keys').values({ purpose, key: candidate })
      .onConflict((oc) => oc.column('purpose').doNothing()).execute();
    const row = await this.db.selectFrom('signing_keys').select('key').where('purpose', '=', purpose).executeTakeFirstOrThrow();
    return row.key;
  }
}
