/* No serialized default rules: what tools/rules-form.c links in place of the form it
 * writes. The library then parses the default, as it does a form it cannot trust. */
#include <stddef.h>

extern const unsigned char pt_default_rules_form[];
extern const size_t pt_default_rules_form_len;
const unsigned char pt_default_rules_form[1];
const size_t pt_default_rules_form_len = 0;
