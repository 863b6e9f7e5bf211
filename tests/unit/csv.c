/* Unit tests of lib/csv: the streaming reader (line numbers, quoting, encodings, limits)
 * and the RFC 4180 writer. */
#include "../../lib/csv.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[] = "/tmp/petition-csv-XXXXXX";

static void write_file(const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	fwrite(data, 1, len, f);
	fclose(f);
}

#define WRITE(s) write_file(s, sizeof(s) - 1)

/* The well-formed UTF-8 byte sequences as the Unicode Standard tables them (Table 3-7), one
 * line each, written apart from lib/csv.c's decoder to check it. */
static const struct { unsigned char lo[4], hi[4]; int n; } well_formed[] = {
	{ { 0x00 }, { 0x7f }, 1 },
	{ { 0xc2, 0x80 }, { 0xdf, 0xbf }, 2 },
	{ { 0xe0, 0xa0, 0x80 }, { 0xe0, 0xbf, 0xbf }, 3 },
	{ { 0xe1, 0x80, 0x80 }, { 0xec, 0xbf, 0xbf }, 3 },
	{ { 0xed, 0x80, 0x80 }, { 0xed, 0x9f, 0xbf }, 3 },
	{ { 0xee, 0x80, 0x80 }, { 0xef, 0xbf, 0xbf }, 3 },
	{ { 0xf0, 0x90, 0x80, 0x80 }, { 0xf0, 0xbf, 0xbf, 0xbf }, 4 },
	{ { 0xf1, 0x80, 0x80, 0x80 }, { 0xf3, 0xbf, 0xbf, 0xbf }, 4 },
	{ { 0xf4, 0x80, 0x80, 0x80 }, { 0xf4, 0x8f, 0xbf, 0xbf }, 4 },
};

static int utf8_reference(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t k, w;

		for (w = 0; w < sizeof well_formed / sizeof *well_formed; w++) {
			int n = well_formed[w].n;

			if ((size_t)n > len - i)
				continue;
			for (k = 0; k < (size_t)n; k++)
				if (s[i + k] < well_formed[w].lo[k] || s[i + k] > well_formed[w].hi[k])
					break;
			if (k == (size_t)n)
				break;
		}
		if (w == sizeof well_formed / sizeof *well_formed)
			return 0;
		i += (size_t)well_formed[w].n;
	}
	return 1;
}

/* pt_utf8_valid against the table on every string of 1, 2 and 3 bytes, and on 4-byte strings
 * of every first two bytes with the last two at the edges of each range; a string is also
 * tried after 9 ASCII bytes, past the decoder's 8-byte ASCII steps. */
static int utf8_exhaustive(void)
{
	static const unsigned char edge[] = { 0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xff };
	unsigned char b[16] = "ASCIIascii";
	int bad = 0;

	for (unsigned long v = 0; v < (1UL << 24) && bad < 5; v++) {
		unsigned char s[3] = { (unsigned char)(v >> 16), (unsigned char)(v >> 8), (unsigned char)v };

		for (size_t n = 1; n <= 3; n++) {
			if (n < 3 && (v & ((1UL << (8 * (3 - n))) - 1)))
				continue;
			if (pt_utf8_valid((const char *)s, n) != utf8_reference(s, n)) {
				printf("# %zu bytes %02x %02x %02x\n", n, s[0], s[1], s[2]);
				bad++;
			}
		}
		if (v % 7 == 0) {
			memcpy(b + 9, s, 3);
			if (pt_utf8_valid((const char *)b, 12) != utf8_reference(b, 12))
				bad++;
		}
	}
	for (unsigned v = 0; v < 0x10000 && bad < 5; v++)
		for (size_t i = 0; i < sizeof edge; i++)
			for (size_t j = 0; j < sizeof edge; j++) {
				unsigned char s[4] = { (unsigned char)(v >> 8), (unsigned char)v, edge[i], edge[j] };

				if (pt_utf8_valid((const char *)s, 4) != utf8_reference(s, 4)) {
					printf("# 4 bytes %02x %02x %02x %02x\n", s[0], s[1], s[2], s[3]);
					bad++;
				}
			}
	return bad;
}

int main(void)
{
	struct pt_err e = PT_ERR_INIT;
	struct pt_csv_reader *r;
	struct pt_buf b = PT_BUF_INIT;
	int fd = mkstemp(path);

	close(fd);

	WRITE("\xef\xbb\xbf" "a,b\r\n1,\"x,\"\"y\"\"\r\nz\"\r\n\r\n2,\r\n");
	r = pt_csv_open(path, NULL, &e);
	ok(r != NULL, "open");
	ok(pt_csv_next(r, &e) == 1 && pt_csv_line(r) == 1, "header on line 1");
	is_str(pt_csv_field(r, 0), "a", "BOM removed from the first field");
	ok(pt_csv_next(r, &e) == 1 && pt_csv_line(r) == 2, "record 2 starts on line 2");
	is_str(pt_csv_field(r, 1), "x,\"y\"\r\nz", "quoted comma, doubled quotes, newline kept");
	ok(pt_csv_next(r, &e) == 1 && pt_csv_line(r) == 5, "after a blank line, record 3 on line 5");
	ok(pt_csv_nfields(r) == 2, "two fields");
	is_str(pt_csv_field(r, 1), "", "empty last field");
	ok(pt_csv_next(r, &e) == 0, "end of file");
	pt_csv_close(r);

	WRITE("a,b\n1,\"open\n2,3\n");
	r = pt_csv_open(path, NULL, &e);
	pt_csv_next(r, &e);
	ok(pt_csv_next(r, &e) == -1 && e.line == 2 && e.kind == PT_EDATA, "unclosed quote: error at the line it opens");
	pt_csv_close(r);
	pt_err_release(&e);

	WRITE("a,b\n1,x\"y\n");
	r = pt_csv_open(path, NULL, &e);
	pt_csv_next(r, &e);
	ok(pt_csv_next(r, &e) == -1 && e.line == 2, "stray quote in an unquoted field");
	pt_csv_close(r);
	pt_err_release(&e);

	WRITE("a\n\xd6\xd0\xce\xc4\n");
	r = pt_csv_open(path, NULL, &e);
	pt_csv_next(r, &e);
	ok(pt_csv_next(r, &e) == -1 && e.line == 2 && e.field[0].name && !strcmp(e.field[0].name, "encoding") &&
	   strstr(e.msg, "use  gb18030"), "GBK bytes read as UTF-8: error suggests the encoding (err.h: a field)");
	pt_csv_close(r);
	pt_err_release(&e);
	r = pt_csv_open(path, "gb18030", &e);
	pt_csv_next(r, &e);
	ok(pt_csv_next(r, &e) == 1, "read with --encoding gb18030");
	is_str(pt_csv_field(r, 0), "中文", "D6D0 CEC4 is 中文");
	pt_csv_close(r);

	{
		size_t n = PT_CSV_MAX_RECORD + 10;
		char *big = malloc(n + 8);

		memcpy(big, "a\n\"", 3);
		memset(big + 3, 'x', n);
		write_file(big, n + 3);
		free(big);
	}
	r = pt_csv_open(path, NULL, &e);
	pt_csv_next(r, &e);
	ok(pt_csv_next(r, &e) == -1 && e.line == 2, "a record over the limit is an error, not a huge allocation");
	pt_csv_close(r);
	pt_err_release(&e);

	ok(pt_csv_open("/nonexistent/x.csv", NULL, &e) == NULL && e.kind == PT_ENOINPUT, "missing file: 66");
	pt_err_release(&e);
	ok(pt_csv_open(path, "latin1", &e) == NULL && e.kind == PT_EUSAGE, "unknown encoding: 64");
	pt_err_release(&e);

	pt_csv_quote(&b, "plain");
	pt_buf_addch(&b, '|');
	pt_csv_quote(&b, "a,b");
	pt_buf_addch(&b, '|');
	pt_csv_quote(&b, "say \"hi\"");
	pt_buf_addch(&b, '|');
	pt_csv_quote(&b, "two\nlines");
	pt_buf_addch(&b, '|');
	pt_csv_quote(&b, NULL);
	pt_buf_addch(&b, '|');
	pt_csv_quote(&b, " pad");
	is_str(b.buf, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"||\" pad\"", "RFC 4180 quoting");
	pt_buf_release(&b);

	ok(pt_utf8_valid("中文", 6), "valid UTF-8");
	ok(!pt_utf8_valid("\xc0\xaf", 2), "overlong rejected");
	ok(!pt_utf8_valid("\xed\xa0\x80", 3), "surrogate rejected");
	ok(!pt_utf8_valid("\xe4\xb8", 2), "truncated rejected");
	ok(utf8_exhaustive() == 0, "pt_utf8_valid agrees with the Unicode table on every string of 1-3 bytes and on 4-byte edges");
	unlink(path);
	return done_testing();
}
