/* hash: SHA-256 through GNU Nettle (see hash.c for why not libcrypto), as lowercase hex. */
#ifndef PT_HASH_H
#define PT_HASH_H

#include <stddef.h>

#define PT_SHA256_HEX 65 /* 64 hex digits and NUL */

struct pt_sha256; /* an incremental digest; opaque */

struct pt_sha256 *pt_sha256_new(void);
/* A copy of h as it is now, to go on from later (pt_sha256_free() it). */
struct pt_sha256 *pt_sha256_dup(const struct pt_sha256 *h);
void pt_sha256_update(struct pt_sha256 *h, const void *data, size_t len);
/* Add a field so that no two sequences of fields hash alike: its length, ':', its bytes. */
void pt_sha256_field(struct pt_sha256 *h, const char *s);
/* A field's "<length>:" at the end of out; returns where it starts in out. */
#define PT_FIELD_PREFIX 24
size_t pt_field_prefix(size_t n, char out[PT_FIELD_PREFIX]);
/* The same for n bytes that may hold NULs. */
void pt_sha256_field_n(struct pt_sha256 *h, const void *s, size_t n);
/* Write the digest and start over (the context can be reused). */
void pt_sha256_final_hex(struct pt_sha256 *h, char out[PT_SHA256_HEX]);
void pt_sha256_free(struct pt_sha256 *h);

/* One-shot digest of a buffer. */
void pt_sha256_hex(const void *data, size_t len, char out[PT_SHA256_HEX]);

/* The integer keys of the petitions (case_key, dup_key, matter_key; petition(7), "The
 * data"): 64-bit FNV-1a, each field's bytes followed by a NUL, so that fields cannot run
 * together ("a", "bc" is not "ab", "c"). A key finds candidates through a small integer
 * index; every reader confirms them on the columns themselves. pt_key_ordered() and
 * pt_case_key() are also SQL functions of every connection (db.h). */
#define PT_FNV_OFFSET 14695981039346656037ULL
#define PT_FNV_PRIME 1099511628211ULL
/* h carried on over the bytes of s, without a NUL after them. */
unsigned long long pt_fnv_bytes(unsigned long long h, const char *s);
/* h carried on over one field: its bytes, then a NUL. */
unsigned long long pt_fnv_field(unsigned long long h, const char *s);
/* The key of n fields (NULL as ""), as SQLite stores it. */
long long pt_key(const char *const *fields, int n);
/* A key that keeps the order of `order` (NULL as ""): the number its digits make (modulo
 * 2^31) in the high 32 bits, the low 32 bits of pt_key(fields) below. Rows registered in the
 * order of their numbers or dates (case numbers, an office's register numbers, a
 * spreadsheet sorted by date) then go in near the end of the key's index instead of all
 * over it, as appending to a text index did; a hash alone scatters them. SQL:
 * pt_key_ordered(order, field, ...). */
long long pt_key_ordered(const char *order, const char *const *fields, int n);
/* A case number's key (petitions.case_key): pt_key_ordered() of the number, by the number.
 * SQL: pt_case_key(case_no). */
long long pt_case_key(const char *case_no);

#endif
