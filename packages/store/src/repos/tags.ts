/** Resource tags (state machines and activities). */
import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';

export class Tags {
  constructor(private readonly db: Kysely<DB>) {}

  async put(resourceArn: string, tags: readonly { key: string; value: string }[]): Promise<void> {
    if (tags.length === 0) return;
    await this.db.insertInto('tags').values(tags.map((t) => ({ resource_arn: resourceArn, key: t.key, value: t.value })))
      .onConflict((oc) => oc.columns(['resource_arn', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))).execute();
  }

  async remove(resourceArn: string, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.deleteFrom('tags').where('resource_arn', '=', resourceArn).where('key', 'in', keys as string[]).execute();
  }

  async list(resourceArn: string): Promise<{ key: string; value: string }[]> {
    return this.db.selectFrom('tags').select(['key', 'value']).where('resource_arn', '=', resourceArn).orderBy('key').execute();
  }

  async count(resourceArn: string): Promise<number> {
    const r = await this.db.selectFrom('tags').select((eb) => eb.fn.countAll().as('n')).where('resource_arn', '=', resourceArn).executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}
