// SQLite's header; SQLITE_TRANSIENT/SQLITE_STATIC are function-pointer casts
// Swift cannot import, so the store defines its own equivalents.
#include <sqlite3.h>
