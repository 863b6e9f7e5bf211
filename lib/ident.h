/* ident: checks of the personal data a petition carries (GB 11643-1999; petition-intake(1)). */
#ifndef PT_IDENT_H
#define PT_IDENT_H

#include <stdbool.h>

#include "buf.h"

#define PT_IDNUM_LEN 19   /* 18 characters and NUL */
#define PT_PHONE_LEN 32

/* Check a resident ID number by GB 11643-1999 and write its canonical 18-character form
 * (upper-case X; a 15-digit number upgraded with "19" and its check character) to out.
 * `today` (a day number) bounds the birth date. On failure returns false and sets *why to a
 * static phrase ("bad check digit", "birth date is not a real date", ...). */
bool pt_idnum_check(const char *in, long today, char out[PT_IDNUM_LEN], const char **why);

/* Check a phone number and write its national form. A country code +86, 0086 or 86 and
 * blanks, dashes and parentheses are dropped. A mobile (11 digits, 1[3-9]...) is written as
 * its 11 digits; a landline (0, an area code of 3 digits for 010 and 02x or 4 for the
 * others, a 7- or 8-digit number, and an extension as a group of its own) is written
 * "0539-8123456" or "0539-8123456-801"; after +86 its trunk 0 is put back. */
bool pt_phone_check(const char *in, char out[PT_PHONE_LEN], const char **why);

/* The one mask of --redact (petition(1), Personal data). When `field` is one of the person's
 * (petitioner, id_number or phone, as the petitions table names them), append `value`
 * masked to out and return true: a name keeps its first character and each other becomes
 * '*'; an ID number keeps its first 6 and last 4 characters (the area and the check), a
 * phone its first 3 and last 4 digits, dashes and spaces kept, every other character '*'. Any other
 * field: false, nothing appended. A NULL value appends nothing. */
bool pt_mask_personal(const char *field, const char *value, struct pt_buf *out);
/* A free text (a summary, a note) with the personal data in it masked, into out: every
 * occurrence of the petitioner's name, ID number and phone given (NULL: none) masked as
 * pt_mask_personal does, and so is any other run of digits that reads as an ID number (17
 * digits and a digit or X, also written 6 8 4 with a dash or a space between) or a mobile
 * number (1[3-9] and 9 digits, also written 3 4 4, after +86 or not; the +86 kept). */
void pt_mask_text(const char *text, const char *name, const char *id_number, const char *phone, struct pt_buf *out);

#endif
