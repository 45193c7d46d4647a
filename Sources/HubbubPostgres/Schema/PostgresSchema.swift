/// The PostgreSQL schema, as its list of migrations (same versions and names as
/// `SQLiteSchema.migrations`; a released migration is never edited).
///
/// The tables mirror the SQLite store's (see `SQLiteSchema`); the differences:
/// - ids are `text COLLATE "C"`, so they sort bytewise as in SQLite whatever the
///   database's collation; usernames are unique per project by `lower(username)`,
///   which under "C" folds ASCII only, like SQLite's NOCASE;
/// - `cards_position` is a DEFERRABLE unique constraint, so it is checked at the end of
///   each statement rather than row by row: one UPDATE shifts a column's cards;
/// - `rooms(room, head_seq)` is the per-room seq counter: `commit` locks the rows of its
///   batch's rooms (`FOR UPDATE`, in room order) and increments them, so several hub
///   nodes writing one room get gapless, unique seqs;
/// - `events` has primary key (room, seq); `outbox.id` is an identity column;
/// - `outbox.user_id` and `outbox.email` are `COLLATE "C"` (since migration 2), so the
///   claim orders recipients bytewise as SQLite does;
/// - `hubbub_is_json_object(text)` tells whether text is a JSON object without raising an
///   error (PostgreSQL 15 has no `pg_input_is_valid`).
enum PostgresSchema {
    static let migrations: [PostgresMigration] = [
        PostgresMigration(version: 1, name: "initial schema", sql: initial),
        PostgresMigration(version: 2, name: "outbox claims", sql: outboxClaims),
    ]

    /// Serializes migrations across sessions and nodes (`pg_advisory_xact_lock`):
    /// "hubbub_m" in ASCII.
    static let migrationLockKey: Int64 = 0x6875_6262_7562_5F6D

    /// Migration 2: the e-mail queue's claims (docs/email.md). In place, no table
    /// rewrite (the new columns have constant defaults; a collation change of `text`
    /// keeps the bytes): the states become `pending, leased, sent, dead, cancelled` (the
    /// old `failed` becomes `dead`), a lease (`lease_owner`, `lease_until`, present
    /// exactly when leased), the backoff (`not_before`) and `last_error`; `user_id` and
    /// `email` sort bytewise (`COLLATE "C"`); the indexes of the claim's scan
    /// (`outbox_waiting`), of pending rows in order, counts and purge (`outbox_state`,
    /// which replaces `outbox_pending`) and of cancellation (`outbox_user_room`).
    private static let outboxClaims = """
        ALTER TABLE outbox
            DROP CONSTRAINT outbox_state_check,
            ADD COLUMN not_before bigint NOT NULL DEFAULT 0,
            ADD COLUMN lease_owner text,
            ADD COLUMN lease_until bigint,
            ADD COLUMN last_error text,
            ALTER COLUMN user_id TYPE text COLLATE "C",
            ALTER COLUMN email TYPE text COLLATE "C";
        UPDATE outbox SET state = 'dead' WHERE state = 'failed';
        ALTER TABLE outbox
            ADD CONSTRAINT outbox_state_check
                CHECK (state IN ('pending', 'leased', 'sent', 'dead', 'cancelled')),
            ADD CONSTRAINT outbox_lease_check
                CHECK ((state = 'leased') = (lease_owner IS NOT NULL AND lease_until IS NOT NULL));
        DROP INDEX outbox_pending;
        CREATE INDEX outbox_waiting ON outbox (user_id, email, created_at) WHERE state IN ('pending', 'leased');
        CREATE INDEX outbox_state ON outbox (state, id);
        CREATE INDEX outbox_user_room ON outbox (user_id, room, seq) WHERE state = 'pending';
        """

    private static let initial = """
        CREATE TABLE projects (
            id   text COLLATE "C" PRIMARY KEY,
            name text NOT NULL
        );

        CREATE TABLE members (
            project_id   text COLLATE "C" NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            user_id      text COLLATE "C" NOT NULL,
            display_name text NOT NULL,
            email        text NOT NULL,
            username     text COLLATE "C" NOT NULL,
            PRIMARY KEY (project_id, user_id)
        );
        CREATE UNIQUE INDEX members_username ON members (project_id, lower(username));

        CREATE TABLE board_columns (
            project_id text COLLATE "C" NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            id         text COLLATE "C" NOT NULL,
            name       text NOT NULL,
            position   bigint NOT NULL,
            PRIMARY KEY (project_id, id)
        );

        CREATE TABLE cards (
            project_id text COLLATE "C" NOT NULL,
            id         text COLLATE "C" NOT NULL,
            column_id  text COLLATE "C" NOT NULL,
            position   bigint NOT NULL,
            title      text NOT NULL,
            version    bigint NOT NULL CHECK (version >= 1),
            created_at bigint NOT NULL,
            updated_at bigint NOT NULL,
            PRIMARY KEY (project_id, id),
            FOREIGN KEY (project_id, column_id) REFERENCES board_columns (project_id, id) ON DELETE CASCADE,
            CONSTRAINT cards_position UNIQUE (project_id, column_id, position) DEFERRABLE INITIALLY IMMEDIATE
        );

        CREATE TABLE comments (
            project_id text COLLATE "C" NOT NULL,
            id         text COLLATE "C" NOT NULL,
            card_id    text COLLATE "C" NOT NULL,
            author_id  text NOT NULL,
            text       text NOT NULL,
            created_at bigint NOT NULL,
            event_id   text NOT NULL,
            PRIMARY KEY (project_id, id),
            FOREIGN KEY (project_id, card_id) REFERENCES cards (project_id, id) ON DELETE CASCADE
        );
        CREATE INDEX comments_card ON comments (project_id, card_id);

        CREATE TABLE mentions (
            project_id text COLLATE "C" NOT NULL,
            comment_id text COLLATE "C" NOT NULL,
            user_id    text COLLATE "C" NOT NULL,
            PRIMARY KEY (project_id, comment_id, user_id),
            FOREIGN KEY (project_id, comment_id) REFERENCES comments (project_id, id) ON DELETE CASCADE
        );
        CREATE INDEX mentions_user ON mentions (user_id);

        CREATE TABLE rooms (
            room     text COLLATE "C" PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
            head_seq bigint NOT NULL CHECK (head_seq >= 0)
        );

        CREATE TABLE events (
            room           text COLLATE "C" NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            seq            bigint NOT NULL CHECK (seq >= 1),
            event_id       text NOT NULL,
            type           text NOT NULL,
            actor_kind     text NOT NULL CHECK (actor_kind IN ('user', 'service')),
            actor_id       text NOT NULL,
            actor_name     text NOT NULL,
            correlation_id text NOT NULL,
            time           bigint NOT NULL,
            payload        text NOT NULL,
            PRIMARY KEY (room, seq)
        );

        CREATE TABLE outbox (
            id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            room       text COLLATE "C" NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            user_id    text NOT NULL,
            email      text NOT NULL,
            kind       text NOT NULL,
            event_id   text NOT NULL,
            seq        bigint NOT NULL,
            payload    text NOT NULL,
            state      text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
            attempts   bigint NOT NULL DEFAULT 0,
            created_at bigint NOT NULL,
            updated_at bigint NOT NULL
        );
        CREATE INDEX outbox_pending ON outbox (id) WHERE state = 'pending';
        CREATE INDEX outbox_room ON outbox (room);

        CREATE TABLE idempotency_keys (
            scope          text COLLATE "C" NOT NULL,
            request_key    text COLLATE "C" NOT NULL,
            fingerprint    bigint NOT NULL,
            room           text COLLATE "C" NOT NULL,
            seq            bigint NOT NULL,
            event_id       text NOT NULL,
            type           text NOT NULL,
            actor_kind     text NOT NULL,
            actor_id       text NOT NULL,
            actor_name     text NOT NULL,
            correlation_id text NOT NULL,
            time           bigint NOT NULL,
            payload        text NOT NULL,
            PRIMARY KEY (scope, request_key)
        );
        CREATE INDEX idempotency_keys_time ON idempotency_keys (time);
        CREATE INDEX idempotency_keys_room ON idempotency_keys (room);

        CREATE FUNCTION hubbub_is_json_object(value text) RETURNS boolean
        LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        BEGIN
            RETURN json_typeof(value::json) = 'object';
        EXCEPTION WHEN invalid_text_representation OR untranslatable_character THEN
            RETURN false;
        END
        $$;
        """
}

/// One forward-only schema change (the PostgreSQL twin of HubbubStore's
/// `SchemaMigration`), applied in the same transaction as its record.
struct PostgresMigration: Sendable {
    let version: Int
    let name: String
    let sql: String
}
