/* Unit tests of lib/hash and the event hash layout of lib/event. */
#include "../../lib/event.h"
#include "../../lib/hash.h"
#include "tap.h"

int main(void)
{
	char hex[PT_SHA256_HEX], want[PT_SHA256_HEX];
	struct pt_sha256 *h = pt_sha256_new();

	/* FIPS 180-2 test vectors. */
	pt_sha256_hex("abc", 3, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "SHA-256(abc)");
	pt_sha256_hex("", 0, hex);
	is_str(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "SHA-256 of nothing");

	pt_sha256_field(h, "abc");
	pt_sha256_field(h, NULL);
	pt_sha256_final_hex(h, hex);
	pt_sha256_hex("3:abc0:", 7, want);
	is_str(hex, want, "fields are length-prefixed");
	pt_sha256_update(h, "abc", 3);
	pt_sha256_final_hex(h, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "context reusable after final");
	pt_sha256_free(h);

	/* The event hash is the documented layout, written out by hand. */
	pt_event_hash("0000000000000000000000000000000000000000000000000000000000000000", 1,
		      "2026-11-28T00:00:00Z", "tester", "petition-init", "init", 0, "{}", hex);
	{
		const char s[] = "64:0000000000000000000000000000000000000000000000000000000000000000"
				 "1:1" "20:2026-11-28T00:00:00Z" "6:tester" "13:petition-init" "4:init" "0:" "2:{}";

		pt_sha256_hex(s, sizeof s - 1, want);
	}
	is_str(hex, want, "event hash = SHA-256 of the length-prefixed fields");

	/* The integer keys: FNV-1a 64, the published test vectors of its authors (Fowler, Noll,
	 * Vo: "", "a", "foobar", and "\0", "a\0" for a field, which ends in a NUL). */
	ok(pt_fnv_bytes(PT_FNV_OFFSET, "") == 0xcbf29ce484222325ULL, "FNV-1a of nothing is the offset basis");
	ok(pt_fnv_bytes(PT_FNV_OFFSET, "a") == 0xaf63dc4c8601ec8cULL, "FNV-1a(a)");
	ok(pt_fnv_bytes(PT_FNV_OFFSET, "foobar") == 0x85944171f73967e8ULL, "FNV-1a(foobar)");
	{
		const char *a[] = { "a" }, *none[] = { NULL }, *empty[] = { "" };
		const char *foo_bar[] = { "foo", "bar" }, *foobar[] = { "foobar" };

		ok((unsigned long long)pt_key(a, 1) == 0x089be207b544f1e4ULL, "a key is FNV-1a of its field and a NUL (a\\0)");
		ok((unsigned long long)pt_key(empty, 1) == 0xaf63bd4c8601b7dfULL, "an empty field is a NUL (\\0)");
		ok(pt_key(none, 1) == pt_key(empty, 1), "NULL is the empty field");
		ok(pt_fnv_field(pt_fnv_field(PT_FNV_OFFSET, "foo"), "bar") == (unsigned long long)pt_key(foo_bar, 2),
		   "a key of two fields carries the hash on");
		ok(pt_key(foo_bar, 2) != pt_key(foobar, 1), "fields do not run together");
		/* ordered: the digits' number (modulo 2^31) times 2^32, plus the low half of the key */
		ok((unsigned long long)pt_key_ordered("B-12", a, 1) == (12ULL << 32 | 0xb544f1e4ULL),
		   "an ordered key: the digits of B-12 above the low half of a\\0's");
		ok(pt_key_ordered(NULL, a, 1) == 0xb544f1e4LL && pt_key_ordered("x", a, 1) == 0xb544f1e4LL,
		   "no digits: the number is 0");
		ok(pt_key_ordered("2147483649", a, 1) == pt_key_ordered("1", a, 1), "the number is taken modulo 2^31");
		ok(pt_key_ordered("2026-11-02", a, 1) < pt_key_ordered("2026-11-03", a, 1), "later dates, larger keys");
		/* 2026000001 * 2^32 + 0x19022298, the low half of FNV-1a of LYS-2026-000001 and a NUL
		 * (0x053eb44019022298, worked out apart from the toolkit) */
		ok(pt_case_key("LYS-2026-000001") == 8701603746410537624LL, "the case key of LYS-2026-000001");
	}
	return done_testing();
}
