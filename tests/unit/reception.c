/* Unit tests of the iCalendar writing in lib/reception: folding and escaping (RFC 5545). */
#include "../../lib/reception.h"
#include "tap.h"

static const char *fold(const char *line)
{
	static struct pt_buf b = PT_BUF_INIT;

	pt_buf_reset(&b);
	pt_ics_line(&b, line);
	return b.buf;
}

int main(void)
{
	char line[200];
	struct pt_buf b = PT_BUF_INIT;

	memset(line, 'a', 75);
	line[75] = '\0';
	is_str(fold(line), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n",
	       "75 octets: one line");
	line[75] = 'b';
	line[76] = '\0';
	is_str(fold(line), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n b\r\n",
	       "76 octets: folded after 75, the rest after a space");
	/* "X:" and 30 three-byte characters: 92 octets. 75 falls inside the 25th character
	 * (it spans octets 74..76), so the first line ends before it, at 74 octets; the rest,
	 * 6 characters, follows the space. */
	strcpy(line, "X:");
	for (int i = 0; i < 30; i++)
		strcat(line, "接");
	is_str(fold(line), "X:接接接接接接接接接接接接接接接接接接接接接接接接\r\n 接接接接接接\r\n",
	       "never inside a UTF-8 character");
	/* 200 ASCII octets: 75, then 74 + the space, then 51 + the space. */
	memset(line, 'c', 200);
	line[199] = '\0';
	{
		const char *f = fold(line);

		ok(strlen(f) == 199 + 3 * 2 + 2, "199 octets: three lines (%zu octets with CRLFs and spaces)", strlen(f));
		ok(f[75] == '\r' && f[77] == ' ' && f[77 + 75] == '\r', "75, then 1 + 74, then the rest");
	}

	memset(line, 0x80, 150);
	line[150] = '\0';
	ok(strlen(fold(line)) == 150 + 2 * 3 + 2, "bytes that are no UTF-8 are folded too, not looped on");
	pt_ics_text(&b, "a,b;c\\d\ne\rf");
	is_str(b.buf, "a\\,b\\;c\\\\d\\nef", "TEXT escaping: comma, semicolon, backslash, newline; CR dropped");
	pt_buf_release(&b);
	return done_testing();
}
