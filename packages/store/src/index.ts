/**
 * @baton/store: Postgres (kysely over pg) repositories over ../../migrations, on a Postgres server (`PgStore`)
 * or embedded PGlite (`PgliteStore`). snake_case stays in here.
 */
export { PgStore, type PgStoreOptions } from './pg-store.js';
export { AbortedTransaction } from './pipelined-transaction.js';
export { PgliteStore, type PgliteStoreOptions } from './pglite-store.js';
export { DataDirectoryInUseError } from './pglite/directory-lock.js';
export { Session } from './session.js';
export { migrate, loadMigrations, MIGRATIONS_DIR, type Migration } from './migrate.js';
export { HistoryPartitions, HISTORY_PARTITION_WIDTH, type HistoryPartition } from './repos/history-partitions.js';
export { dumpSchema } from './schema-dump.js';
export { createDatabase, createPool, type DatabaseOptions } from './database.js';
export type { DB } from './schema.js';
export { ClusterStats, type ClusterCounts } from './cluster-stats.js';
