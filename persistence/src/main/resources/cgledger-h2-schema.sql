-- Idempotent H2 schema for pekko-persistence-jdbc 1.1.1 (default, non-legacy DAO).
-- Derived from the plugin's schema/h2/h2-create-schema.sql; the separate
-- CREATE UNIQUE INDEX "event_journal_ordering_idx" is dropped: it is not re-runnable
-- and duplicates the UNIQUE constraint already declared on "ordering".
CREATE TABLE IF NOT EXISTS PUBLIC."event_journal" (
    "ordering" BIGINT UNIQUE NOT NULL AUTO_INCREMENT,
    "deleted" BOOLEAN DEFAULT false NOT NULL,
    "persistence_id" VARCHAR(255) NOT NULL,
    "sequence_number" BIGINT NOT NULL,
    "writer" VARCHAR NOT NULL,
    "write_timestamp" BIGINT NOT NULL,
    "adapter_manifest" VARCHAR NOT NULL,
    "event_payload" BLOB NOT NULL,
    "event_ser_id" INTEGER NOT NULL,
    "event_ser_manifest" VARCHAR NOT NULL,
    "meta_payload" BLOB,
    "meta_ser_id" INTEGER,
    "meta_ser_manifest" VARCHAR,
    PRIMARY KEY("persistence_id","sequence_number")
);

CREATE TABLE IF NOT EXISTS PUBLIC."event_tag" (
    "event_id" BIGINT NOT NULL,
    "tag" VARCHAR NOT NULL,
    PRIMARY KEY("event_id", "tag"),
    CONSTRAINT "fk_event_journal"
      FOREIGN KEY("event_id")
      REFERENCES PUBLIC."event_journal"("ordering")
      ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS PUBLIC."snapshot" (
    "persistence_id" VARCHAR(255) NOT NULL,
    "sequence_number" BIGINT NOT NULL,
    "created" BIGINT NOT NULL,
    "snapshot_ser_id" INTEGER NOT NULL,
    "snapshot_ser_manifest" VARCHAR NOT NULL,
    "snapshot_payload" BLOB NOT NULL,
    "meta_ser_id" INTEGER,
    "meta_ser_manifest" VARCHAR,
    "meta_payload" BLOB,
    PRIMARY KEY("persistence_id","sequence_number")
);

-- cgledger's own: what recovery discarded (a torn tail after a crash during a group commit)
CREATE TABLE IF NOT EXISTS PUBLIC."cgledger_recovery" (
    "id" BIGINT AUTO_INCREMENT PRIMARY KEY,
    "recovered_at" BIGINT NOT NULL,
    "last_kept_seq" BIGINT NOT NULL,
    "discarded" INTEGER NOT NULL,
    "detail" VARCHAR NOT NULL
);

-- cgledger's own: the model snapshot, in parts of at most 512 KiB (a BLOB of the 9 MB snapshot of a
-- 100,000-task model took H2 twice as long to read back as these)
CREATE TABLE IF NOT EXISTS PUBLIC."cgledger_model_snapshot" (
    "sequence_number" BIGINT NOT NULL,
    "part" INTEGER NOT NULL,
    "parts" INTEGER NOT NULL,
    "size" INTEGER NOT NULL,
    "created" BIGINT NOT NULL,
    "ser_id" INTEGER NOT NULL,
    "ser_manifest" VARCHAR NOT NULL,
    "data" VARBINARY(524288) NOT NULL,
    -- the latest time any event up to the snapshot was recorded at (null: not known), for time
    -- travel by time; JournalStore adds it to a table an earlier build created
    "max_time" BIGINT,
    PRIMARY KEY("sequence_number", "part")
);
