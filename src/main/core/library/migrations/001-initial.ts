import type { Migration } from './types';

/**
 * The first schema. Notes on choices that are not obvious from the DDL:
 *
 * - `jobs.seq` is the listing order: `created_at * 1024 + n`, where `n` (0–1023) separates jobs
 *   created in the same millisecond. It is the INTEGER PRIMARY KEY, so the table itself is stored in
 *   creation order and every secondary index ends in it: `jobs(status)` is really `(status, seq)`,
 *   and "status = ? newest first after this cursor" is a single ordered index range. The search index
 *   uses it as its rowid, so FTS matches also stream out in listing order and a search page stops as
 *   soon as it has enough rows instead of sorting every match. When `created_at` changes (the API's
 *   time replaces the local one) the job gets a new `seq`.
 *   `jobs.id` (the UUIDv7 the rest of the app uses) is UNIQUE NOT NULL — what a TEXT primary key of
 *   a rowid table amounts to — and every foreign key points at it.
 * - `archive_state` is derived from the job's outputs by triggers, so it is right whoever writes
 *   the outputs (the library API, a rebuild, a future migration).
 * - `jobs_fts` is contentless (the text lives in jobs, job_texts and tags) with `contentless_delete`,
 *   and triggers re-index a job whenever its prompt, description, texts, tags or `seq` change.
 * - The request body and the raw API response live in `job_payloads`, not in `jobs`: they are the
 *   largest values and listings never show them, so `jobs` rows stay small (many per page) and a
 *   status or bookkeeping update does not rewrite them.
 * - `archive_state` triggers write the job row only when the derived state actually changes.
 */
const ARCHIVE_STATE_OF = (jobId: string): string => `(
  SELECT CASE
    WHEN count(*) = 0 THEN 'none'
    WHEN sum(state = 'error') > 0 THEN 'error'
    WHEN sum(state IN ('remote', 'downloading')) > 0 THEN 'pending'
    WHEN sum(state = 'archived') = count(*) THEN 'archived'
    WHEN sum(state = 'expired') = count(*) THEN 'expired'
    ELSE 'partial'
  END
  FROM outputs WHERE job_id = ${jobId})`;

const REFRESH_ARCHIVE_STATE = (jobId: string): string => `
  UPDATE jobs SET archive_state = derived.state
  FROM (SELECT ${ARCHIVE_STATE_OF(jobId)} AS state) AS derived
  WHERE jobs.id = ${jobId} AND jobs.archive_state IS NOT derived.state;`;

const INDEX_JOB = (jobId: string): string => `
  INSERT INTO jobs_fts (rowid, prompt, texts, tags)
    SELECT j.seq,
           coalesce(j.prompt, ''),
           concat_ws(' ', j.description, (SELECT group_concat(t.text, ' ') FROM job_texts t WHERE t.job_id = j.id)),
           coalesce((SELECT group_concat(g.tag, ' ') FROM tags g WHERE g.job_id = j.id), '')
    FROM jobs j WHERE j.id = ${jobId};`;

const REINDEX_JOB = (jobId: string): string => `
  DELETE FROM jobs_fts WHERE rowid = (SELECT seq FROM jobs WHERE id = ${jobId});
  ${INDEX_JOB(jobId)}`;

export const initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE jobs (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        provider TEXT NOT NULL,
        remote_id TEXT,
        task_type TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('submitting', 'queued', 'running', 'completed', 'failed')),
        prompt TEXT,
        description TEXT,
        params_json TEXT NOT NULL DEFAULT '{}',
        model_version TEXT,
        aspect_ratio TEXT,
        parent_id TEXT REFERENCES jobs (id) ON DELETE SET NULL,
        parent_index INTEGER,
        root_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        submitted_at INTEGER,
        started_at INTEGER,
        ended_at INTEGER,
        cdn_expires_at INTEGER NOT NULL,
        actions_expire_at INTEGER NOT NULL,
        cost_frozen REAL NOT NULL DEFAULT 0,
        cost_consumed REAL NOT NULL DEFAULT 0,
        error_code TEXT,
        error_message TEXT,
        seed TEXT,
        available_actions_json TEXT,
        progress REAL,
        favorite INTEGER NOT NULL DEFAULT 0 CHECK (favorite IN (0, 1)),
        archive_state TEXT NOT NULL DEFAULT 'none'
          CHECK (archive_state IN ('none', 'pending', 'archived', 'partial', 'expired', 'error')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_poll_at INTEGER,
        last_polled_at INTEGER,
        poll_count INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL,
        UNIQUE (provider, remote_id)
      ) STRICT;

      -- Each of these is (column, seq): one ordered range per filter value, see the note on seq.
      CREATE INDEX jobs_by_task_type ON jobs (task_type);
      CREATE INDEX jobs_by_status ON jobs (status);
      CREATE INDEX jobs_by_provider ON jobs (provider);
      CREATE INDEX jobs_by_model_version ON jobs (model_version);
      CREATE INDEX jobs_by_aspect_ratio ON jobs (aspect_ratio);
      CREATE INDEX jobs_by_favorite ON jobs (favorite);
      CREATE INDEX jobs_by_archive_state ON jobs (archive_state);
      CREATE INDEX jobs_by_root ON jobs (root_id);
      CREATE INDEX jobs_by_parent ON jobs (parent_id);
      CREATE INDEX jobs_by_remote_id ON jobs (remote_id);

      CREATE TABLE job_payloads (
        job_id TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
        request_json TEXT,
        raw_json TEXT
      ) STRICT;

      CREATE TABLE outputs (
        job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('image', 'video', 'grid')),
        idx INTEGER NOT NULL,
        url TEXT,
        state TEXT NOT NULL DEFAULT 'remote'
          CHECK (state IN ('remote', 'downloading', 'archived', 'expired', 'error')),
        path TEXT,
        bytes INTEGER,
        sha256 TEXT,
        mime TEXT,
        width INTEGER,
        height INTEGER,
        duration_ms REAL,
        thumb_path TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER DEFAULT 0,
        error TEXT,
        archived_at INTEGER,
        PRIMARY KEY (job_id, kind, idx)
      ) STRICT, WITHOUT ROWID;

      -- Due downloads are a range of it; with bytes it also covers the archived count and size totals.
      CREATE INDEX outputs_by_state ON outputs (state, next_attempt_at, bytes);

      CREATE TABLE lineage (
        child_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        parent_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        parent_index INTEGER,
        relation TEXT NOT NULL,
        PRIMARY KEY (child_id, position)
      ) STRICT, WITHOUT ROWID;

      CREATE INDEX lineage_by_parent ON lineage (parent_id, child_id);

      CREATE TABLE job_texts (
        job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (job_id, idx)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE tags (
        job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (job_id, tag)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE VIRTUAL TABLE jobs_fts USING fts5 (
        prompt, texts, tags,
        content = '',
        contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3 4'
      );

      CREATE TRIGGER jobs_fts_after_insert AFTER INSERT ON jobs BEGIN
        ${INDEX_JOB('new.id')}
      END;
      CREATE TRIGGER jobs_fts_after_update AFTER UPDATE OF seq, prompt, description ON jobs
        WHEN old.seq IS NOT new.seq OR old.prompt IS NOT new.prompt OR old.description IS NOT new.description
      BEGIN
        DELETE FROM jobs_fts WHERE rowid = old.seq;
        ${INDEX_JOB('new.id')}
      END;
      CREATE TRIGGER jobs_fts_after_delete AFTER DELETE ON jobs BEGIN
        DELETE FROM jobs_fts WHERE rowid = old.seq;
      END;
      CREATE TRIGGER job_texts_fts_after_insert AFTER INSERT ON job_texts BEGIN
        ${REINDEX_JOB('new.job_id')}
      END;
      CREATE TRIGGER job_texts_fts_after_update AFTER UPDATE ON job_texts BEGIN
        ${REINDEX_JOB('new.job_id')}
      END;
      CREATE TRIGGER job_texts_fts_after_delete AFTER DELETE ON job_texts BEGIN
        ${REINDEX_JOB('old.job_id')}
      END;
      CREATE TRIGGER tags_fts_after_insert AFTER INSERT ON tags BEGIN
        ${REINDEX_JOB('new.job_id')}
      END;
      CREATE TRIGGER tags_fts_after_delete AFTER DELETE ON tags BEGIN
        ${REINDEX_JOB('old.job_id')}
      END;

      CREATE TRIGGER outputs_state_after_insert AFTER INSERT ON outputs BEGIN
        ${REFRESH_ARCHIVE_STATE('new.job_id')}
      END;
      CREATE TRIGGER outputs_state_after_update AFTER UPDATE OF state ON outputs
        WHEN old.state IS NOT new.state BEGIN
        ${REFRESH_ARCHIVE_STATE('new.job_id')}
      END;
      CREATE TRIGGER outputs_state_after_delete AFTER DELETE ON outputs BEGIN
        ${REFRESH_ARCHIVE_STATE('old.job_id')}
      END;
    `);
  },
};
