/*-------------------------------------------------------------------------
 *
 * checksum.c
 *	  Revision checksums over PostgreSQL's own token stream, computed the
 *	  same way by the server and by the client (sqltoken.h).
 *
 * The SQL is run through the scanner and the SHA-256 is taken over the
 * tokens (code and semantic value), never over the raw text: whitespace,
 * comments, keyword case and unquoted identifier case therefore never change
 * a checksum, while any change PostgreSQL would see does.  The algorithm is
 * named by SM_CHECKSUM_ALGORITHM and stored next to every checksum; a new
 * algorithm gets a new name and never replaces this one silently.
 *
 * src/common/checksum.c
 *
 *-------------------------------------------------------------------------
 */
#include "sm_common.h"

#include "common/cryptohash.h"
#include "common/sha2.h"

#include "sqltoken.h"

static void
hash_bytes(pg_cryptohash_ctx *ctx, const void *data, size_t len)
{
	if (pg_cryptohash_update(ctx, data, len) < 0)
		elog(ERROR, "could not update SHA-256 context: %s",
			 pg_cryptohash_error(ctx));
}

/* one token into the hash: its code, then its value (with the NUL) if any */
static bool
hash_token(const SmToken *t, void *arg)
{
	pg_cryptohash_ctx *ctx = (pg_cryptohash_ctx *) arg;
	int32		tok = t->code;

	hash_bytes(ctx, &tok, sizeof(tok));
	if (t->value != NULL)
		hash_bytes(ctx, t->value, strlen(t->value) + 1);
	return true;
}

/*
 * hash_tokens feeds one SQL text to the hash as a stream of
 * (token code, value) pairs.  A NULL text is hashed as a distinct marker.
 * The scanner runs with fixed string settings so that the checksum does not
 * depend on the session's standard_conforming_strings.
 */
static void
hash_tokens(pg_cryptohash_ctx *ctx, const char *sql)
{
	int32		marker;

	if (sql == NULL)
	{
		marker = -1;
		hash_bytes(ctx, &marker, sizeof(marker));
		return;
	}
	sm_scan_tokens(sql, true, hash_token, ctx);

	/* end-of-text marker keeps "a" + "b" apart from "ab" + "" */
	marker = -2;
	hash_bytes(ctx, &marker, sizeof(marker));
}

static void
hash_revision(pg_cryptohash_ctx *ctx, const char *upgrade_sql,
			  const char *downgrade_sql, bool transactional, uint8 *digest)
{
	uint8		flag = transactional ? 1 : 0;

	hash_bytes(ctx, SM_CHECKSUM_ALGORITHM, strlen(SM_CHECKSUM_ALGORITHM) + 1);
	hash_tokens(ctx, upgrade_sql);
	hash_tokens(ctx, downgrade_sql);
	hash_bytes(ctx, &flag, 1);
	if (pg_cryptohash_final(ctx, digest, PG_SHA256_DIGEST_LENGTH) < 0)
		elog(ERROR, "could not finalize SHA-256 context: %s",
			 pg_cryptohash_error(ctx));
}

/*
 * sm_checksum returns the hex SHA-256 of a revision's upgrade SQL, downgrade
 * SQL (NULL allowed) and transactional flag, as a palloc'd string.
 */
char *
sm_checksum(const char *upgrade_sql, const char *downgrade_sql,
			bool transactional)
{
	pg_cryptohash_ctx *ctx;
	uint8		digest[PG_SHA256_DIGEST_LENGTH];
	char	   *hex;
	int			i;

	ctx = pg_cryptohash_create(PG_SHA256);
	if (ctx == NULL || pg_cryptohash_init(ctx) < 0)
		elog(ERROR, "could not initialize SHA-256 context");

#ifndef FRONTEND
	PG_TRY();
	{
		hash_revision(ctx, upgrade_sql, downgrade_sql, transactional, digest);
	}
	PG_FINALLY();
	{
		pg_cryptohash_free(ctx);
	}
	PG_END_TRY();
#else
	/* an error ends the client */
	hash_revision(ctx, upgrade_sql, downgrade_sql, transactional, digest);
	pg_cryptohash_free(ctx);
#endif

	hex = palloc(PG_SHA256_DIGEST_LENGTH * 2 + 1);
	for (i = 0; i < PG_SHA256_DIGEST_LENGTH; i++)
		snprintf(hex + i * 2, 3, "%02x", digest[i]);
	return hex;
}
