#include "hash.h"
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

struct pt_sha256 {
	EVP_MD_CTX *ctx;
};

static void die_crypto(void)
{
	fputs("petition: libcrypto failed to compute SHA-256\n", stderr);
	abort();
}

static void start(struct pt_sha256 *h)
{
	if (EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
		die_crypto();
}

struct pt_sha256 *pt_sha256_new(void)
{
	struct pt_sha256 *h = pt_xmalloc(sizeof *h);

	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx)
		die_crypto();
	start(h);
	return h;
}

void pt_sha256_update(struct pt_sha256 *h, const void *data, size_t len)
{
	if (EVP_DigestUpdate(h->ctx, data, len) != 1)
		die_crypto();
}

void pt_sha256_field(struct pt_sha256 *h, const char *s)
{
	char len[24];
	size_t n = s ? strlen(s) : 0;
	int k = snprintf(len, sizeof len, "%zu:", n);

	pt_sha256_update(h, len, (size_t)k);
	if (n)
		pt_sha256_update(h, s, n);
}

void pt_sha256_final_hex(struct pt_sha256 *h, char out[PT_SHA256_HEX])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_DigestFinal_ex(h->ctx, md, &n) != 1 || n != 32)
		die_crypto();
	for (unsigned int i = 0; i < n; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	start(h);
}

void pt_sha256_free(struct pt_sha256 *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

void pt_sha256_hex(const void *data, size_t len, char out[PT_SHA256_HEX])
{
	struct pt_sha256 *h = pt_sha256_new();

	pt_sha256_update(h, data, len);
	pt_sha256_final_hex(h, out);
	pt_sha256_free(h);
}
