/** One database session (the pool, or one transaction): every repository over the same Kysely handle. */
import { sql, type Kysely } from 'kysely';
import { named } from './prepared.js';
import type { DB } from './schema.js';
import { StateMachines } from './repos/state-machines.js';
import { Executions } from './repos/executions.js';
import { History } from './repos/history.js';
import { Signals } from './repos/signals.js';
import { Timers } from './repos/timers.js';
import { Tasks } from './repos/tasks.js';
import { Tokens } from './repos/tokens.js';
import { Activities } from './repos/activities.js';
import { Tags } from './repos/tags.js';
import { Versions } from './repos/versions.js';
import { Aliases } from './repos/aliases.js';
import { SigningKeys } from './repos/signing-keys.js';
import { MapRuns } from './repos/map-runs.js';
import { ExecutionLogs } from './repos/execution-logs.js';
import { Retention } from './repos/retention.js';

export interface SessionOptions {
  /**
   * Whether the commit of a step attempt's record waits for the WAL flush (repos/executions.ts `loadForStep`).
   * On a Postgres server it need not: the record must outlive the Baton process, and the server outlives it. The
   * embedded database lives in the Baton process and dies with it, so there it must.
   */
  durableStepAttempts?: boolean;
}

export class Session {
  readonly stateMachines: StateMachines;
  readonly executions: Executions;
  readonly history: History;
  readonly signals: Signals;
  readonly timers: Timers;
  readonly tasks: Tasks;
  readonly tokens: Tokens;
  readonly activities: Activities;
  readonly tags: Tags;
  readonly versions: Versions;
  readonly aliases: Aliases;
  readonly signingKeys: SigningKeys;
  readonly mapRuns: MapRuns;
  readonly executionLogs: ExecutionLogs;
  readonly retention: Retention;

  constructor(protected readonly db: Kysely<DB>, options: SessionOptions = {}) {
    this.stateMachines = new StateMachines(db);
    this.executions = new Executions(db, options.durableStepAttempts ?? false);
    this.history = new History(db);
    this.signals = new Signals(db);
    this.timers = new Timers(db);
    this.tasks = new Tasks(db);
    this.tokens = new Tokens(db);
    this.activities = new Activities(db);
    this.tags = new Tags(db);
    this.versions = new Versions(db);
    this.aliases = new Aliases(db);
    this.signingKeys = new SigningKeys(db);
    this.mapRuns = new MapRuns(db);
    this.executionLogs = new ExecutionLogs(db);
    this.retention = new Retention(db);
  }

  async notify(channel: string, payload: string): Promise<void> {
    await this.db.executeQuery(named('notify', sql`SELECT pg_notify(${channel}, ${payload})`.compile(this.db)));
  }
}
