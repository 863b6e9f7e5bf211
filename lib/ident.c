#include "ident.h"
#include "buf.h"
#include "cal.h"

#include <ctype.h>
#include <stdio.h>
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

/* The digit groups of a phone number, as separated by blanks, dashes or parentheses. */
struct groups {
	char d[PT_PHONE_LEN];    /* all digits */
	size_t n;
	size_t start[8];         /* where each group starts in d */
	size_t ngroups;
};

static bool split_groups(const char *p, struct groups *g, const char **why)
{
	bool in_group = false;

	g->n = g->ngroups = 0;
	for (; *p; p++) {
		if (*p == ' ' || *p == '-' || *p == '(' || *p == ')') {
			in_group = false;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			return *why = "may contain only digits, blanks, dashes, parentheses and +86", false;
		if (g->n + 1 >= sizeof g->d)
			return *why = "too long", false;
		if (!in_group) {
			if (g->ngroups == sizeof g->start / sizeof *g->start)
				return *why = "too many groups of digits", false;
			g->start[g->ngroups++] = g->n;
			in_group = true;
		}
		g->d[g->n++] = *p;
	}
	g->d[g->n] = '\0';
	return true;
}

/* Drop a country code 86 (+86, 0086, 86) in front; true when there was one. */
static bool drop_country_code(struct groups *g)
{
	size_t k = !strncmp(g->d, "0086", 4) ? 4 : !strncmp(g->d, "86", 2) && g->n >= 12 ? 2 : 0;

	if (k == 0)
		return false;
	memmove(g->d, g->d + k, g->n - k + 1);
	g->n -= k;
	for (size_t i = 0; i < g->ngroups; i++)
		g->start[i] = g->start[i] > k ? g->start[i] - k : 0;
	if (g->ngroups > 1 && g->start[1] == 0) {
		memmove(g->start, g->start + 1, (g->ngroups - 1) * sizeof *g->start);
		g->ngroups--;
	}
	return true;
}

/* A landline: area code (010 and 02x have three digits, the others four), a 7- or 8-digit
 * number, and an extension of 1-6 digits only when it is a group of its own. */
static bool landline(const struct groups *g, char out[PT_PHONE_LEN], const char **why)
{
	size_t area = g->d[1] == '1' || g->d[1] == '2' ? 3 : 4;
	size_t local = g->n - area, ext = 0;

	if (g->n < area + 7 || g->d[1] == '0')
		return *why = "not a landline (0, an area code and a 7- or 8-digit number)", false;
	if (g->ngroups > 1 && g->start[1] != area)
		return *why = "the area code is not the first group of digits", false;
	if (g->ngroups > 2 && g->n - g->start[g->ngroups - 1] <= 6 && g->start[g->ngroups - 1] - area >= 7) {
		ext = g->n - g->start[g->ngroups - 1];
		local -= ext;
	}
	if (local < 7 || local > 8)
		return *why = "not a landline (0, an area code and a 7- or 8-digit number)", false;
	snprintf(out, PT_PHONE_LEN, "%.*s-%.*s%s%.*s", (int)area, g->d, (int)local, g->d + area,
		 ext ? "-" : "", (int)ext, g->d + area + local);
	return true;
}

bool pt_phone_check(const char *in, char out[PT_PHONE_LEN], const char **why)
{
	struct groups g;
	bool international;
	const char *p = in;

	while (*p == ' ')
		p++;
	if (*p == '+' && strncmp(p, "+86", 3) != 0)
		return *why = "only Chinese numbers (+86) are accepted", false;
	if (*p == '+')
		p += 3;
	international = p != in + strspn(in, " ");
	if (!split_groups(p, &g, why))
		return false;
	/* One country code: "+86 86 138..." is not a number. */
	if (!international)
		international = drop_country_code(&g);
	if (g.n == 11 && g.d[0] == '1' && g.d[1] >= '3' && g.d[1] <= '9') {
		memcpy(out, g.d, 12);
		return true;
	}
	if (international && g.d[0] != '0' && g.n + 1 < sizeof g.d) {
		/* +86 539 8123456: the trunk 0 comes back in the national form. */
		memmove(g.d + 1, g.d, g.n + 1);
		g.d[0] = '0';
		g.n++;
		for (size_t i = 1; i < g.ngroups; i++)
			g.start[i]++;
	}
	if (g.d[0] == '0')
		return landline(&g, out, why);
	return *why = "not a mobile number (1[3-9] and 9 digits) or a landline (0, area code, number)", false;
}

/* Keep the first `head` and last `tail` characters (UTF-8 aware), and the dashes of a
 * number. */
static void mask_middle(const char *s, size_t head, size_t tail, bool number, struct pt_buf *out)
{
	size_t n = 0, i = 0;

	for (const char *p = s; *p; p++)
		n += ((unsigned char)*p & 0xc0) != 0x80;
	for (const char *p = s; *p; i++) {
		size_t len = 1;

		while (((unsigned char)p[len] & 0xc0) == 0x80)
			len++;
		if (i < head || i + tail >= n || (number && (*p == '-' || *p == ' ')))
			pt_buf_add(out, p, len);
		else
			pt_buf_addch(out, '*');
		p += len;
	}
}

bool pt_mask_personal(const char *field, const char *value, struct pt_buf *out)
{
	if (!field)
		return false;
	if (!strcmp(field, "petitioner"))
		mask_middle(value ? value : "", 1, 0, false, out);
	else if (!strcmp(field, "id_number"))
		mask_middle(value ? value : "", 6, 4, true, out);
	else if (!strcmp(field, "phone"))
		mask_middle(value ? value : "", 3, 4, true, out);
	else
		return false;
	return true;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The length of the digits at p in groups of the sizes given (0 ends the list), the groups
 * joined by nothing or all by one '-' or ' ' (138-1234-5678, 370102 19900101 1234), the
 * last character X when x; 0 when they are not there or go on into more digits. */
static size_t digit_groups(const char *p, const int *size, bool x)
{
	static const char seps[] = { '\0', '-', ' ' };

	for (size_t s = 0; s < sizeof seps; s++) {
		size_t n = 0;
		bool whole = true;

		for (int g = 0; size[g] && whole; g++) {
			if (g > 0 && seps[s] && p[n++] != seps[s])
				whole = false;
			for (int k = 0; k < size[g] && whole; k++, n++)
				whole = is_digit(p[n]) || (x && !size[g + 1] && k == size[g] - 1 && (p[n] == 'X' || p[n] == 'x'));
		}
		if (whole && !is_digit(p[n]))
			return n;
	}
	return 0;
}

/* The length of what at p reads as an ID number (17 digits and a digit or X, also as
 * 6 8 4) or a mobile number (1[3-9] and 9 digits, also as 3 4 4, after +86 or not), not
 * part of a longer run of digits; 0 for none. *prefix: the length of a +86 before it. */
static size_t personal_number(const char *text, const char *p, size_t *prefix)
{
	static const int id[] = { 18, 0 }, id_groups[] = { 6, 8, 4, 0 }, mobile[] = { 3, 4, 4, 0 };
	size_t n;

	*prefix = 0;
	if (p > text && is_digit(p[-1]))
		return 0;
	if (!strncmp(p, "+86", 3))
		*prefix = 3 + (p[3] == ' ' || p[3] == '-');
	if (*prefix == 0 && ((n = digit_groups(p, id, true)) || (n = digit_groups(p, id_groups, true))))
		return n;
	if (p[*prefix] == '1' && p[*prefix + 1] >= '3' && p[*prefix + 1] <= '9' &&
	    (n = digit_groups(p + *prefix, mobile, false)))
		return *prefix + n;
	*prefix = 0;
	return 0;
}

/* Whether text at p starts with the value given (not blank); its length in *n. */
static bool starts_with(const char *p, const char *value, size_t *n)
{
	if (!value || !*value || strspn(value, " \t") == strlen(value))
		return false;
	*n = strlen(value);
	return !strncmp(p, value, *n);
}

void pt_mask_text(const char *text, const char *name, const char *id_number, const char *phone, struct pt_buf *out)
{
	const char *p = text;

	while (p && *p) {
		size_t n, prefix;

		if (starts_with(p, id_number, &n))
			pt_mask_personal("id_number", id_number, out);
		else if (starts_with(p, phone, &n))
			pt_mask_personal("phone", phone, out);
		else if (starts_with(p, name, &n))
			pt_mask_personal("petitioner", name, out);
		else if ((n = personal_number(text, p, &prefix)) > 0) {
			struct pt_buf digits = PT_BUF_INIT;

			pt_buf_add(out, p, prefix);
			pt_buf_add(&digits, p + prefix, n - prefix);
			pt_mask_personal(prefix || n - prefix <= 13 ? "phone" : "id_number", digits.buf, out);
			pt_buf_release(&digits);
		} else {
			pt_buf_addch(out, *p);
			n = 1;
		}
		p += n;
	}
}
