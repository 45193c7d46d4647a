/// The SQLite schema, as its list of migrations.
///
/// Tables (all ids are TEXT, times unix milliseconds):
/// - `projects(id PK, name)`
/// - `members(project_id, user_id, display_name, email, username)`, PK (project_id,
///   user_id); unique `members_username(project_id, username COLLATE NOCASE)`
/// - `board_columns(project_id, id, name, position)`, PK (project_id, id)
/// - `cards(project_id, id, column_id, position, title, version, created_at, updated_at)`,
///   PK (project_id, id); unique `cards_position(project_id, column_id, position)` keeps
///   positions distinct (the store keeps them dense)
/// - `comments(project_id, id, card_id, author_id, text, created_at, event_id)`, PK
///   (project_id, id); index `comments_card(project_id, card_id)`
/// - `mentions(project_id, comment_id, user_id)`, PK all three; index `mentions_user`
/// - `rooms(room PK, head_seq)`: the room's seq counter. The next event takes
///   `head_seq + 1` inside the writing transaction; kept apart from `events` so pruning
///   never lowers the head (PostgreSQL will lock this row per room: `FOR UPDATE`)
/// - `events(id rowid, room, seq, event_id, type, actor_kind, actor_id, actor_name,
///   correlation_id, time, payload)`; unique `events_room_seq(room, seq)` (the catch-up
///   scan and the uniqueness of seqs)
/// - `outbox(id AUTOINCREMENT, room, user_id, email, kind, event_id, seq, payload, state,
///   attempts, not_before, lease_owner, lease_until, last_error, created_at, updated_at)`
///   (since migration 2; ``OutboxState`` for the states, docs/email.md for the claims);
///   partial index `outbox_waiting(user_id, email, created_at) WHERE state IN
///   ('pending', 'leased')` (the claim's scan), `outbox_state(state, id)` (pending rows
///   in order, counts, purge), `outbox_user_room(user_id, room, seq) WHERE state =
///   'pending'` (cancellation), `outbox_room(room)` (for the cascade)
/// - `idempotency_keys(scope, request_key, fingerprint, room, seq, event_id, type,
///   actor_kind, actor_id, actor_name, correlation_id, time, payload)`, PK (scope,
///   request_key): a copy of the stored event, so a retry gets its reply even after the
///   event was pruned; index `idempotency_keys_time(time)` for the purge
/// - `schema_migrations(version PK, name, applied_at)`
///
/// Everything of a project references `projects` with `ON DELETE CASCADE`
/// (`foreign_keys=ON`); idempotency keys do not (they expire by time).
enum SQLiteSchema {
    static let migrations: [SchemaMigration] = [
        SchemaMigration(version: 1, name: "initial schema", sql: initial),
        SchemaMigration(version: 2, name: "outbox claims", sql: outboxClaims),
    ]

    /// Migration 2: the e-mail queue's claims. SQLite cannot change a CHECK constraint,
    /// so the table is rebuilt: states `pending, leased, sent, dead, cancelled` (the old
    /// `failed` becomes `dead`), a lease (`lease_owner`, `lease_until`, present exactly
    /// when leased), the backoff (`not_before`) and `last_error`. The AUTOINCREMENT
    /// counter is carried over, so ids are never reused.
    private static let outboxClaims = """
        CREATE TABLE outbox_v2 (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            room        TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            user_id     TEXT NOT NULL,
            email       TEXT NOT NULL,
            kind        TEXT NOT NULL,
            event_id    TEXT NOT NULL,
            seq         INTEGER NOT NULL,
            payload     TEXT NOT NULL,
            state       TEXT NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'leased', 'sent', 'dead', 'cancelled')),
            attempts    INTEGER NOT NULL DEFAULT 0,
            not_before  INTEGER NOT NULL DEFAULT 0,
            lease_owner TEXT,
            lease_until INTEGER,
            last_error  TEXT,
            created_at  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL,
            CHECK ((state = 'leased') = (lease_owner IS NOT NULL AND lease_until IS NOT NULL))
        );
        INSERT INTO outbox_v2 (id, room, user_id, email, kind, event_id, seq, payload, state, attempts,
                               created_at, updated_at)
            SELECT id, room, user_id, email, kind, event_id, seq, payload,
                   CASE state WHEN 'failed' THEN 'dead' ELSE state END, attempts, created_at, updated_at
            FROM outbox;
        DELETE FROM sqlite_sequence WHERE name = 'outbox_v2';
        INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_v2', seq FROM sqlite_sequence WHERE name = 'outbox';
        DROP TABLE outbox;
        ALTER TABLE outbox_v2 RENAME TO outbox;
        CREATE INDEX outbox_waiting ON outbox (user_id, email, created_at) WHERE state IN ('pending', 'leased');
        CREATE INDEX outbox_state ON outbox (state, id);
        CREATE INDEX outbox_user_room ON outbox (user_id, room, seq) WHERE state = 'pending';
        CREATE INDEX outbox_room ON outbox (room);
        """

    private static let initial = """
        CREATE TABLE projects (
            id   TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE members (
            project_id   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            user_id      TEXT NOT NULL,
            display_name TEXT NOT NULL,
            email        TEXT NOT NULL,
            username     TEXT NOT NULL,
            PRIMARY KEY (project_id, user_id)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX members_username ON members (project_id, username COLLATE NOCASE);

        CREATE TABLE board_columns (
            project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            id         TEXT NOT NULL,
            name       TEXT NOT NULL,
            position   INTEGER NOT NULL,
            PRIMARY KEY (project_id, id)
        ) WITHOUT ROWID;

        CREATE TABLE cards (
            project_id TEXT NOT NULL,
            id         TEXT NOT NULL,
            column_id  TEXT NOT NULL,
            position   INTEGER NOT NULL,
            title      TEXT NOT NULL,
            version    INTEGER NOT NULL CHECK (version >= 1),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (project_id, id),
            FOREIGN KEY (project_id, column_id) REFERENCES board_columns (project_id, id) ON DELETE CASCADE
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX cards_position ON cards (project_id, column_id, position);

        CREATE TABLE comments (
            project_id TEXT NOT NULL,
            id         TEXT NOT NULL,
            card_id    TEXT NOT NULL,
            author_id  TEXT NOT NULL,
            text       TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            event_id   TEXT NOT NULL,
            PRIMARY KEY (project_id, id),
            FOREIGN KEY (project_id, card_id) REFERENCES cards (project_id, id) ON DELETE CASCADE
        );
        CREATE INDEX comments_card ON comments (project_id, card_id);

        CREATE TABLE mentions (
            project_id TEXT NOT NULL,
            comment_id TEXT NOT NULL,
            user_id    TEXT NOT NULL,
            PRIMARY KEY (project_id, comment_id, user_id),
            FOREIGN KEY (project_id, comment_id) REFERENCES comments (project_id, id) ON DELETE CASCADE
        ) WITHOUT ROWID;
        CREATE INDEX mentions_user ON mentions (user_id);

        CREATE TABLE rooms (
            room     TEXT PRIMARY KEY NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            head_seq INTEGER NOT NULL CHECK (head_seq >= 0)
        ) WITHOUT ROWID;

        CREATE TABLE events (
            id             INTEGER PRIMARY KEY,
            room           TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            seq            INTEGER NOT NULL CHECK (seq >= 1),
            event_id       TEXT NOT NULL,
            type           TEXT NOT NULL,
            actor_kind     TEXT NOT NULL CHECK (actor_kind IN ('user', 'service')),
            actor_id       TEXT NOT NULL,
            actor_name     TEXT NOT NULL,
            correlation_id TEXT NOT NULL,
            time           INTEGER NOT NULL,
            payload        TEXT NOT NULL
        );
        CREATE UNIQUE INDEX events_room_seq ON events (room, seq);

        CREATE TABLE outbox (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            room       TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            user_id    TEXT NOT NULL,
            email      TEXT NOT NULL,
            kind       TEXT NOT NULL,
            event_id   TEXT NOT NULL,
            seq        INTEGER NOT NULL,
            payload    TEXT NOT NULL,
            state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
            attempts   INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX outbox_pending ON outbox (id) WHERE state = 'pending';
        CREATE INDEX outbox_room ON outbox (room);

        CREATE TABLE idempotency_keys (
            scope          TEXT NOT NULL,
            request_key    TEXT NOT NULL,
            fingerprint    INTEGER NOT NULL,
            room           TEXT NOT NULL,
            seq            INTEGER NOT NULL,
            event_id       TEXT NOT NULL,
            type           TEXT NOT NULL,
            actor_kind     TEXT NOT NULL,
            actor_id       TEXT NOT NULL,
            actor_name     TEXT NOT NULL,
            correlation_id TEXT NOT NULL,
            time           INTEGER NOT NULL,
            payload        TEXT NOT NULL,
            PRIMARY KEY (scope, request_key)
        );
        CREATE INDEX idempotency_keys_time ON idempotency_keys (time);
        """
}
