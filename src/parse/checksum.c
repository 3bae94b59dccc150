/*-------------------------------------------------------------------------
 *
 * checksum.c
 *	  Revision checksums over PostgreSQL's own token stream.
 *
 * The SQL is run through the core scanner and the SHA-256 is taken over the
 * tokens (code and semantic value), never over the raw text: whitespace,
 * comments, keyword case and unquoted identifier case therefore never change
 * a checksum, while any change PostgreSQL would see does.  The algorithm is
 * named by SM_CHECKSUM_ALGORITHM and stored next to every checksum; a new
 * algorithm gets a new name and never replaces this one silently.
 *
 * src/parse/checksum.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/cryptohash.h"
#include "common/sha2.h"
#include "utils/builtins.h"

#include "pg_schemamig.h"

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
	uint8		flag = transactional ? 1 : 0;
	int			i;

	ctx = pg_cryptohash_create(PG_SHA256);
	if (ctx == NULL || pg_cryptohash_init(ctx) < 0)
		elog(ERROR, "could not initialize SHA-256 context");

	PG_TRY();
	{
		hash_bytes(ctx, SM_CHECKSUM_ALGORITHM, strlen(SM_CHECKSUM_ALGORITHM) + 1);
		hash_tokens(ctx, upgrade_sql);
		hash_tokens(ctx, downgrade_sql);
		hash_bytes(ctx, &flag, 1);
		if (pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
			elog(ERROR, "could not finalize SHA-256 context: %s",
				 pg_cryptohash_error(ctx));
	}
	PG_FINALLY();
	{
		pg_cryptohash_free(ctx);
	}
	PG_END_TRY();

	hex = palloc(PG_SHA256_DIGEST_LENGTH * 2 + 1);
	for (i = 0; i < PG_SHA256_DIGEST_LENGTH; i++)
		snprintf(hex + i * 2, 3, "%02x", digest[i]);
	return hex;
}

PG_FUNCTION_INFO_V1(schemamig_checksum);

/*
 * schemamig.checksum(upgrade_sql, downgrade_sql, transactional): the checksum
 * add_revision stores, for clients that compare files with the catalog.
 */
Datum
schemamig_checksum(PG_FUNCTION_ARGS)
{
	char	   *up;
	char	   *down;
	bool		transactional;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	up = text_to_cstring(PG_GETARG_TEXT_PP(0));
	down = PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1));
	transactional = PG_ARGISNULL(2) ? true : PG_GETARG_BOOL(2);

	PG_RETURN_TEXT_P(cstring_to_text(sm_checksum(up, down, transactional)));
}
