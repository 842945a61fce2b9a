/* SQLite settings Swift cannot make itself: sqlite3_config is variadic. */
#include <sqlite3.h>

/* Turns SQLite's memory statistics off for the whole process. With them on (SQLite's default), every allocation
   and free inside SQLite takes one global mutex, and no part of the program reads the statistics. Only takes
   effect before SQLite is initialized (before the first connection opens); returns SQLITE_MISUSE after that. */
static inline int tenantsync_sqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Keeps this connection from checkpointing the WAL into the database file when it closes: a first sync's commit
   leaves a WAL as large as the file, and copying it is left to the next run (see TenantStore.checkpoint). */
static inline int tenantsync_sqlite_no_checkpoint_on_close(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}
