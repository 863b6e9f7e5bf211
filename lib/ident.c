#include "ident.h"
#include "buf.h"
#include "cal.h"

#include <ctype.h>
#include <string.h>

static const int id_weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
static const char id_checks[] = "10X98765432";

static char id_check_char(const char *digits17)
{
	int s = 0;

	for (int i = 0; i < 17; i++)
		s += (digits17[i] - '0') * id_weights[i];
	return id_checks[s % 11];
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int num(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

bool pt_idnum_check(const char *in, long today, char out[PT_IDNUM_LEN], const char **why)
{
	size_t n = strlen(in);
	char id[PT_IDNUM_LEN];

	if (n == 15) {
		if (!all_digits(in, 15))
			return *why = "a 15-digit ID number has only digits", false;
		memcpy(id, in, 6);
		memcpy(id + 6, "19", 2);
		memcpy(id + 8, in + 6, 9);
		id[17] = id_check_char(id);
	} else if (n == 18) {
		if (!all_digits(in, 17))
			return *why = "the first 17 characters must be digits", false;
		memcpy(id, in, 18);
		id[17] = (char)toupper((unsigned char)in[17]);
		if (!isdigit((unsigned char)id[17]) && id[17] != 'X')
			return *why = "the last character must be a digit or X", false;
	} else {
		return *why = "must have 18 characters (or 15 digits)", false;
	}
	id[18] = '\0';
	if (id[0] == '0')
		return *why = "area code cannot start with 0", false;
	int y = num(id + 6, 4), m = num(id + 10, 2), d = num(id + 12, 2);
	if (!pt_date_valid(y, m, d))
		return *why = "birth date is not a real date", false;
	if (pt_days_from_civil(y, m, d) > today)
		return *why = "birth date is in the future", false;
	if (id[17] != id_check_char(id))
		return *why = "bad check digit", false;
	memcpy(out, id, PT_IDNUM_LEN);
	return true;
}

bool pt_phone_check(const char *in, char out[PT_PHONE_LEN], const char **why)
{
	char d[PT_PHONE_LEN];
	size_t n = 0, dashes = 0;
	const char *p = in;

	while (*p == ' ')
		p++;
	if (*p == '+') {
		if (strncmp(p, "+86", 3) != 0)
			return *why = "only Chinese numbers (+86) are accepted", false;
		p += 3;
	}
	for (; *p; p++) {
		if (*p == ' ' || *p == '-') {
			dashes += *p == '-';
			continue;
		}
		if (!isdigit((unsigned char)*p))
			return *why = "may contain only digits, spaces, dashes and +86", false;
		if (n + 1 >= sizeof d)
			return *why = "too long", false;
		d[n++] = *p;
	}
	d[n] = '\0';
	if (n == 13 && strncmp(d, "86", 2) == 0 && d[2] == '1') {
		memmove(d, d + 2, 12);
		n = 11;
	}
	if (n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9') {
		memcpy(out, d, n + 1);
		return true;
	}
	/* Landline: 0 + 2-3 digit area code + 7-8 digits, optionally an extension; written
	 * as given without blanks and without a +86 in front. */
	if (d[0] == '0' && n >= 10 && n <= 16 && dashes <= 2) {
		size_t len = 0;

		for (p = in; *p == ' '; p++)
			;
		if (!strncmp(p, "+86", 3))
			p += 3;
		for (; *p && len + 1 < PT_PHONE_LEN; p++)
			if (*p != ' ')
				out[len++] = *p;
		out[len] = '\0';
		return true;
	}
	return *why = "not a mobile number (1[3-9] and 9 digits) or a landline (0 area code-number)", false;
}

char *pt_mask_new(const char *s, int keep_head, int keep_tail)
{
	size_t n = strlen(s);
	char *m = pt_xstrdup(s);

	if (n <= (size_t)(keep_head + keep_tail))
		keep_head = keep_tail = 0;
	for (size_t i = (size_t)keep_head; i + (size_t)keep_tail < n; i++)
		m[i] = '*';
	return m;
}
