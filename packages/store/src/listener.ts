/**
 * LISTEN on one dedicated connection per process, fanned out to in-process handlers. When the connection
 * drops it reconnects and calls every handler with an empty payload (anything may have happened meanwhile).
 */
import pg from 'pg';

export class Listener {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();
  private closed = false;

  constructor(private readonly connectionString: string) {}

  async listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>> {
    let set = this.handlers.get(channel);
    const fresh = !set;
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    const client = await this.connect();
    if (fresh) await client.query(`LISTEN ${quote(channel)}`);
    return async () => {
      set.delete(handler);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.client;
    this.client = undefined;
    if (c) await c.end().catch(() => {});
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.connectionString, application_name: 'baton-listener' });
      client.on('notification', (n) => {
        for (const h of this.handlers.get(n.channel) ?? []) h(n.payload ?? '');
      });
      client.on('error', () => this.lost(client));
      client.on('end', () => this.lost(client));
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${quote(channel)}`);
      this.client = client;
      this.connecting = undefined;
      return client;
    })().catch((e) => {
      this.connecting = undefined;
      throw e;
    });
    return this.connecting;
  }

  private lost(client: pg.Client): void {
    if (this.client !== client || this.closed) return;
    this.client = undefined;
    const retry = (): void => {
      if (this.closed) return;
      this.connect().then(
        () => {
          for (const set of this.handlers.values()) for (const h of set) h('');
        },
        () => setTimeout(retry, 1000).unref(),
      );
    };
    setTimeout(retry, 200).unref();
  }
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
