-- Idempotent PostgreSQL schema for pekko-persistence-jdbc 1.1.1 (default DAO), from the plugin's
-- schema/postgres/postgres-create-schema.sql with IF NOT EXISTS everywhere; durable_state left out.
CREATE TABLE IF NOT EXISTS public.event_journal(
  ordering BIGSERIAL,
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  deleted BOOLEAN DEFAULT FALSE NOT NULL,
  writer VARCHAR(255) NOT NULL,
  write_timestamp BIGINT,
  adapter_manifest VARCHAR(255),
  event_ser_id INTEGER NOT NULL,
  event_ser_manifest VARCHAR(255) NOT NULL,
  event_payload BYTEA NOT NULL,
  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BYTEA,
  PRIMARY KEY(persistence_id, sequence_number)
);

CREATE UNIQUE INDEX IF NOT EXISTS event_journal_ordering_idx ON public.event_journal(ordering);

CREATE TABLE IF NOT EXISTS public.event_tag(
    event_id BIGINT,
    tag VARCHAR(256),
    PRIMARY KEY(event_id, tag),
    CONSTRAINT fk_event_journal
      FOREIGN KEY(event_id)
      REFERENCES event_journal(ordering)
      ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS public.snapshot (
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  created BIGINT NOT NULL,
  snapshot_ser_id INTEGER NOT NULL,
  snapshot_ser_manifest VARCHAR(255) NOT NULL,
  snapshot_payload BYTEA NOT NULL,
  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BYTEA,
  PRIMARY KEY(persistence_id, sequence_number)
);

-- cgledger's own: what recovery discarded (a torn tail after a crash during a group commit)
CREATE TABLE IF NOT EXISTS public.cgledger_recovery (
  id BIGSERIAL PRIMARY KEY,
  recovered_at BIGINT NOT NULL,
  last_kept_seq BIGINT NOT NULL,
  discarded INTEGER NOT NULL,
  detail VARCHAR NOT NULL
);

-- cgledger's own: the model snapshot, in parts of at most 512 KiB
CREATE TABLE IF NOT EXISTS public.cgledger_model_snapshot (
  sequence_number BIGINT NOT NULL,
  part INTEGER NOT NULL,
  parts INTEGER NOT NULL,
  size INTEGER NOT NULL,
  created BIGINT NOT NULL,
  ser_id INTEGER NOT NULL,
  ser_manifest VARCHAR(255) NOT NULL,
  data BYTEA NOT NULL,
  -- the latest time any event up to the snapshot was recorded at (null: not known), for time
  -- travel by time; JournalStore adds it to a table an earlier build created
  max_time BIGINT,
  PRIMARY KEY(sequence_number, part)
);
