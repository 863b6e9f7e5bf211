/* Unit tests of lib/ident: GB 11643 ID numbers and phone numbers (GB 11643-1999). */
#include "../../lib/cal.h"
#include "../../lib/ident.h"
#include "tap.h"

#include <stdlib.h>

static const char *id(const char *in)
{
	static char out[PT_IDNUM_LEN];
	const char *why = NULL;

	return pt_idnum_check(in, pt_days_from_civil(2026, 11, 28), out, &why) ? out : why;
}

static const char *phone(const char *in)
{
	static char out[PT_PHONE_LEN];
	const char *why = NULL;

	return pt_phone_check(in, out, &why) ? out : "bad";
}

/* pt_mask_text with no petitioner given, into a static buffer. */
static const char *masked(const char *text)
{
	static char out[128];
	struct pt_buf b = PT_BUF_INIT;

	pt_mask_text(text, NULL, NULL, NULL, &b);
	snprintf(out, sizeof out, "%s", pt_buf_str(&b));
	pt_buf_release(&b);
	return out;
}

int main(void)
{
	/* The standard's published valid examples. */
	is_str(id("11010519491231002X"), "11010519491231002X", "11010519491231002X is valid");
	is_str(id("11010519491231002x"), "11010519491231002X", "lower-case x accepted, stored upper-case");
	is_str(id("440524188001010014"), "440524188001010014", "440524188001010014 is valid (born 1880)");
	/* Worked by hand: S = 260 for 37130219720315123, 260 mod 11 = 7, check '5'. */
	is_str(id("371302197203151235"), "371302197203151235", "371302197203151235 is valid");
	is_str(id("371302197203151230"), "bad check digit", "371302197203151230: wrong check digit");
	/* 15 digits: insert 19 and compute the check character (GB 11643-1999): S = 167 for
	 * 11010519491231002, 167 mod 11 = 2, check 'X'. */
	is_str(id("110105491231002"), "11010519491231002X", "15-digit number upgraded");
	is_str(id("11010519491331002X"), "birth date is not a real date", "month 13");
	is_str(id("110105202712310024"), "birth date is in the future", "born in 2027");
	is_str(id("01010519491231002X"), "area code cannot start with 0", "area code 0...");
	is_str(id("1101051949123100"), "must have 18 characters (or 15 digits)", "16 characters");
	is_str(id("11010519491231002Y"), "the last character must be a digit or X", "last char Y");
	is_str(id("1101051949123100AX"), "the first 17 characters must be digits", "letter inside");
	is_str(id("11010549123100X"), "a 15-digit ID number has only digits", "15 with X");

	is_str(phone("13800138000"), "13800138000", "mobile");
	is_str(phone("138 0013 8000"), "13800138000", "mobile with spaces");
	is_str(phone("138-0013-8000"), "13800138000", "mobile with dashes");
	is_str(phone("+86 138 0013 8000"), "13800138000", "+86");
	is_str(phone("8613800138000"), "13800138000", "86 prefix");
	is_str(phone("19912345678"), "19912345678", "199 prefix");
	is_str(phone("12800138000"), "bad", "12x is not a mobile prefix");
	is_str(phone("1380013800"), "bad", "10 digits");
	is_str(phone("0539-8123456"), "0539-8123456", "Linyi landline");
	is_str(phone("05398123456"), "0539-8123456", "landline without a dash");
	is_str(phone("(0539) 812 3456"), "0539-8123456", "landline with parentheses and blanks");
	is_str(phone("010-12345678"), "010-12345678", "Beijing landline (3-digit area code)");
	is_str(phone("021 87654321"), "021-87654321", "Shanghai landline");
	is_str(phone("0539-8123456-801"), "0539-8123456-801", "landline with an extension");
	is_str(phone("+86 0539-8123456"), "0539-8123456", "+86 in front of a landline dropped");
	is_str(phone("+86-010-12345678"), "010-12345678", "+86-010-... dropped");
	is_str(phone("+86 10 12345678"), "010-12345678", "+86 10 ...: the trunk 0 put back");
	is_str(phone("+86 539 8123456"), "0539-8123456", "+86 539 ...: the trunk 0 put back");
	is_str(phone("008613812345678"), "13812345678", "0086 before a mobile");
	is_str(phone("0000000000"), "bad", "zeros are no landline");
	is_str(phone("0086 13805391234"), "13805391234", "0086 with a blank before a mobile");
	is_str(phone("+86 86 13805391234"), "bad", "two country codes");
	is_str(phone("0123456789012345"), "bad", "16 digits in one group");
	is_str(phone("0-1-2345678901"), "bad", "area code not the first group");
	is_str(phone("0539-812345"), "bad", "6-digit local number");
	is_str(phone("+1 202 555 0100"), "bad", "foreign number");
	is_str(phone("tel 13800138000"), "bad", "words");

	/* pt_mask_text: a mobile keeps its first 3 and last 4 digits, an ID number its first 6
	 * and last 4 characters; what is between them '*', dashes, spaces and a +86 kept. */
	is_str(masked("电话138-1234-5678。"), "电话138-****-5678。", "a mobile in 3-4-4 with dashes");
	is_str(masked("手机 138 1234 5678 元"), "手机 138 **** 5678 元", "a mobile in 3-4-4 with spaces");
	is_str(masked("+86 139 8765 4321"), "+86 139 **** 4321", "+86 and a blank before a mobile, kept");
	is_str(masked("+8613987654321"), "+86139****4321", "+86 before a mobile, kept");
	is_str(masked("13987654321"), "139****4321", "a mobile in one run");
	is_str(masked("370102 19900101 1234"), "370102 ******** 1234", "an ID number in 6-8-4 with spaces");
	is_str(masked("370102-19900101-123X"), "370102-********-123X", "an ID number in 6-8-4 with dashes, X");
	is_str(masked("37010219900101123x"), "370102********123x", "an ID number in one run, x");
	is_str(masked("138123456789"), "138123456789", "12 digits: no number of a person");
	is_str(masked("138-1234-56789"), "138-1234-56789", "a last group of 5: not a mobile");
	is_str(masked("138-1234 5678"), "138-1234 5678", "two kinds of separator: not a mobile");
	is_str(masked("12812345678"), "12812345678", "12x is not a mobile prefix");
	is_str(masked("+86 0539-8123456"), "+86 0539-8123456", "a landline is no mobile");

	return done_testing();
}
