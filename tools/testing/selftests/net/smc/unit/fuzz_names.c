// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the text rules of the administration interfaces
 * (net/smc/smc_names.c): what netlink hands the kernel as an EID or a
 * PNET ID, what an SMC-D device reports as its PNET ID, what is written
 * to net.smc.smcd_device_order. Every input goes through each rule; what
 * a rule accepts is checked against an independent reading of the rule,
 * and a device order read must write back to text that reads the same.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smc_names.h"

#define FAIL(...) do {							\
	fprintf(stderr, "fuzz_names: " __VA_ARGS__);			\
	fputc('\n', stderr);						\
	abort();							\
} while (0)

static bool eid_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-';
}

static void fuzz_eid(const u8 *data, size_t size)
{
	u8 eid[SMC_EID_LEN];
	size_t n = size < sizeof(eid) ? size : sizeof(eid), i, end;
	bool ref = true;

	memset(eid, ' ', sizeof(eid));
	memcpy(eid, data, n);
	for (end = 0; end < sizeof(eid) && eid[end] != ' '; end++)
		;
	if (!end || eid[0] == '.' || eid[0] == '-')
		ref = false;
	for (i = 0; i < sizeof(eid); i++) {
		if (i < end && !eid_char(eid[i]))
			ref = false;
		if (i < end && i && eid[i] == '.' && eid[i - 1] == '.')
			ref = false;
		if (i >= end && eid[i] != ' ')
			ref = false;
	}
	if (smc_eid_valid(eid) != ref)
		FAIL("EID rule says %d, the reading %d", !ref, ref);
}

/* ASCII white space: what the rule drops around a PNET ID. */
static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

static bool ascii_alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9');
}

static void fuzz_pnetid(const u8 *data, size_t size)
{
	char id[40], orig[40];
	size_t n = size < sizeof(id) - 1 ? size : sizeof(id) - 1, len, i;
	size_t start = 0, end;
	bool ref;
	int rc;

	memcpy(id, data, n);
	id[n] = '\0';
	memcpy(orig, id, n + 1);
	len = strlen(orig);
	end = len;
	while (start < end && blank(orig[start]))
		start++;
	while (end > start && blank(orig[end - 1]))
		end--;
	ref = end > start && end - start <= SMC_PNET_ID_LEN;
	for (i = start; i < end; i++)
		ref = ref && ascii_alnum(orig[i]);
	rc = smc_pnetid_normalize(id);
	if (rc != 0 && rc != -EINVAL)
		FAIL("PNET ID rule returned %d", rc);
	if (!rc != ref)
		FAIL("PNET ID '%s': rule %d, reading %d", orig, rc, ref);
	if (!rc && strlen(id) != end - start)
		FAIL("PNET ID '%s' kept as '%s'", orig, id);
	for (i = 0; !rc && i < end - start; i++)
		if (id[i] != toupper((unsigned char)orig[start + i]))
			FAIL("PNET ID '%s' kept as '%s'", orig, id);
}

static void fuzz_raw_pnetid(const u8 *data, size_t size)
{
	u8 raw[SMC_PNET_ID_LEN] = {};
	char out[SMC_PNET_ID_LEN + 1];
	size_t n = size < sizeof(raw) ? size : sizeof(raw), len;

	memcpy(raw, data, n);
	memset(out, 0x55, sizeof(out));
	if (!smc_pnetid_from_raw(raw, out))
		return;
	len = strnlen(out, sizeof(out));
	if (len < 1 || len > SMC_PNET_ID_LEN || memcmp(out, raw, len) ||
	    out[len - 1] == ' ')
		FAIL("device PNET ID read as '%.*s'", (int)len, out);
}

static void fuzz_devorder(const u8 *data, size_t size)
{
	char text[256], back[SMC_DEVORDER_TEXT_LEN], small[80];
	size_t n = size < sizeof(text) - 1 ? size : sizeof(text) - 1;
	u32 order, again, raw;
	int rc;

	memcpy(text, data, n);
	text[n] = '\0';
	if (!smc_devorder_parse(text, &order)) {
		rc = smc_devorder_format(order, back, sizeof(back));
		if (rc < 0 || (size_t)rc != strlen(back))
			FAIL("order 0x%x from '%s' writes %d", order, text, rc);
		if (smc_devorder_parse(back, &again) || again != order)
			FAIL("'%s' reads 0x%x, back '%s' reads 0x%x", text,
			     order, back, again);
	}
	/* Any packed value, any room: never past the buffer. */
	if (size < 5)
		return;
	memcpy(&raw, data, sizeof(raw));
	n = data[4] % sizeof(small);
	rc = smc_devorder_format(raw, small, n);
	if (rc >= 0 && ((size_t)rc >= n || strlen(small) != (size_t)rc))
		FAIL("0x%x into %zu bytes: %d", raw, n, rc);
	if (rc < 0 && rc != -EINVAL && rc != -ENOSPC)
		FAIL("0x%x into %zu bytes: %d", raw, n, rc);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	fuzz_eid(data, size);
	fuzz_pnetid(data, size);
	fuzz_raw_pnetid(data, size);
	fuzz_devorder(data, size);
	return 0;
}
