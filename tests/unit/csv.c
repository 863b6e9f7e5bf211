/* Unit tests of lib/csv: the streaming reader (line numbers, quoting, encodings, limits)
 * and the RFC 4180 writer. */
#include "../../lib/csv.h"
#include "tap.h"

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
	unlink(path);
	return done_testing();
}
