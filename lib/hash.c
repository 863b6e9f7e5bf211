/* SHA-256 through GNU Nettle. Nettle rather than OpenSSL's libcrypto: both are maintained
 * libraries, but loading libcrypto and its first EVP_sha256() cost about 1.5 ms per process
 * here against 0.1 ms for Nettle, and a single `petition intake` from a shell script is
 * budgeted at twice a one-row sqlite3 INSERT (bench/README.md). */
#include "hash.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

struct pt_sha256 {
	struct sha256_ctx ctx;
};

struct pt_sha256 *pt_sha256_new(void)
{
	struct pt_sha256 *h = pt_xmalloc(sizeof *h);

	sha256_init(&h->ctx);
	return h;
}

struct pt_sha256 *pt_sha256_dup(const struct pt_sha256 *h)
{
	struct pt_sha256 *d = pt_xmalloc(sizeof *d);

	*d = *h;
	return d;
}

void pt_sha256_update(struct pt_sha256 *h, const void *data, size_t len)
{
	sha256_update(&h->ctx, len, data);
}

void pt_sha256_field(struct pt_sha256 *h, const char *s)
{
	pt_sha256_field_n(h, s, s ? strlen(s) : 0);
}

size_t pt_field_prefix(size_t n, char out[PT_FIELD_PREFIX])
{
	size_t k = PT_FIELD_PREFIX;

	/* "<n>:" without printf, which a bulk intake would call a dozen times a row */
	out[--k] = ':';
	do {
		out[--k] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	return k;
}

void pt_sha256_field_n(struct pt_sha256 *h, const void *s, size_t n)
{
	char len[PT_FIELD_PREFIX];
	size_t k = pt_field_prefix(n, len);

	pt_sha256_update(h, len + k, sizeof len - k);
	if (s && n)
		pt_sha256_update(h, s, n);
}

void pt_sha256_final_hex(struct pt_sha256 *h, char out[PT_SHA256_HEX])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t md[SHA256_DIGEST_SIZE];

	/* sha256_digest() also starts the context over. */
	sha256_digest(&h->ctx, SHA256_DIGEST_SIZE, md);
	for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

void pt_sha256_free(struct pt_sha256 *h)
{
	free(h);
}

void pt_sha256_hex(const void *data, size_t len, char out[PT_SHA256_HEX])
{
	struct pt_sha256 h;

	sha256_init(&h.ctx);
	pt_sha256_update(&h, data, len);
	pt_sha256_final_hex(&h, out);
}

unsigned long long pt_fnv_bytes(unsigned long long h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
		h = (h ^ *p) * PT_FNV_PRIME;
	return h;
}

unsigned long long pt_fnv_field(unsigned long long h, const char *s)
{
	return pt_fnv_bytes(h, s) * PT_FNV_PRIME; /* (h ^ 0) * prime: the NUL */
}

long long pt_key(const char *const *fields, int n)
{
	unsigned long long h = PT_FNV_OFFSET;

	for (int i = 0; i < n; i++)
		h = pt_fnv_field(h, fields[i]);
	return (long long)h;
}

long long pt_key_ordered(const char *order, const char *const *fields, int n)
{
	unsigned long long number = 0;

	for (const char *p = order; p && *p; p++)
		if (*p >= '0' && *p <= '9')
			number = (number * 10 + (unsigned)(*p - '0')) & 0x7fffffffULL;
	return (long long)(number << 32 | ((unsigned long long)pt_key(fields, n) & 0xffffffffULL));
}

long long pt_case_key(const char *case_no)
{
	return pt_key_ordered(case_no, &case_no, 1);
}
