// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the text rules of the administration interfaces
 * (net/smc/smc_names.c), TAP output.
 */
#include <stdio.h>
#include <string.h>

#include "smc_names.h"
#include "tap.h"

/* An EID from text, blank padded as the wire and netlink carry it. */
static bool eid_ok(const char *text)
{
	u8 eid[SMC_EID_LEN];
	size_t n = strlen(text);

	memset(eid, ' ', sizeof(eid));
	memcpy(eid, text, n < sizeof(eid) ? n : sizeof(eid));
	return smc_eid_valid(eid);
}

static bool t_eid(const void *arg)
{
	(void)arg;
	CHECK(eid_ok("SMC-VMS"));
	CHECK(eid_ok("1.2-X"));
	CHECK(eid_ok("SMCNG-X86-SEID-0123456789ABCDEF0"));	/* 32 */
	CHECK(!eid_ok(""));
	CHECK(!eid_ok("smc-vms"));		/* lower case */
	CHECK(!eid_ok(".SMC"));
	CHECK(!eid_ok("-SMC"));
	CHECK(!eid_ok("A..B"));
	CHECK(eid_ok("A.B.C"));
	CHECK(!eid_ok("A B"));			/* a blank inside */
	CHECK(!eid_ok("A_B"));
	return true;
}

static bool pnetid_is(const char *in, int rc, const char *out)
{
	char id[64];

	snprintf(id, sizeof(id), "%s", in);
	if (smc_pnetid_normalize(id) != rc)
		return false;
	return rc || !strcmp(id, out);
}

static bool t_pnetid(const void *arg)
{
	(void)arg;
	CHECK(pnetid_is("net1", 0, "NET1"));
	CHECK(pnetid_is("ABCDEFGHIJKLMNOP", 0, "ABCDEFGHIJKLMNOP"));
	CHECK(pnetid_is("ABCDEFGHIJKLMNOPQ", -EINVAL, NULL));	/* 17 */
	CHECK(pnetid_is("", -EINVAL, NULL));
	CHECK(pnetid_is("net-1", -EINVAL, NULL));
	CHECK(pnetid_is("net 1", -EINVAL, NULL));
	CHECK(pnetid_is("n\xe9t", -EINVAL, NULL));
	/* Blanks around the ID are dropped, as in-tree; not inside. */
	CHECK(pnetid_is(" net1\t ", 0, "NET1"));
	CHECK(pnetid_is("  ABCDEFGHIJKLMNOP ", 0, "ABCDEFGHIJKLMNOP"));
	CHECK(pnetid_is("   ", -EINVAL, NULL));
	CHECK(pnetid_is(" ABCDEFGHIJKLMNOPQ ", -EINVAL, NULL));
	return true;
}

static bool raw_is(const char *raw16, const char *out)
{
	char got[SMC_PNET_ID_LEN + 1];
	bool found = smc_pnetid_from_raw((const u8 *)raw16, got);

	return out ? found && !strcmp(got, out) : !found;
}

static bool t_raw_pnetid(const void *arg)
{
	(void)arg;
	CHECK(raw_is("NET1            ", "NET1"));
	CHECK(raw_is("NET1\0\0\0\0\0\0\0\0\0\0\0\0", "NET1"));
	CHECK(raw_is("ABCDEFGHIJKLMNOP", "ABCDEFGHIJKLMNOP"));
	CHECK(raw_is("                ", NULL));
	CHECK(raw_is("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", NULL));
	/* Found by fuzz_names: an ID that was "" but counted as one. */
	CHECK(raw_is("\0A\0\0\0\0\0\0\0\0\0\0\0\0\0\0", NULL));
	CHECK(raw_is("NET1 \0X\0\0\0\0\0\0\0\0\0\0\0", "NET1"));
	return true;
}

static bool order_is(const char *text, int rc, u32 packed)
{
	u32 order = 0xdead;

	if (smc_devorder_parse(text, &order) != rc)
		return false;
	return rc ? order == 0xdead : order == packed;
}

static bool t_devorder_parse(const void *arg)
{
	(void)arg;
	CHECK(order_is("loopback ism", 0, 0x21));
	CHECK(order_is("ism,loopback", 0, 0x12));
	CHECK(order_is(" \tism \n", 0, 0x2));
	CHECK(order_is("", 0, 0));
	CHECK(order_is(", ,", 0, 0));
	CHECK(order_is("ism ism", -EINVAL, 0));
	CHECK(order_is("roce", -EINVAL, 0));
	CHECK(order_is("loopbackism", -EINVAL, 0));
	CHECK(order_is("Loopback", -EINVAL, 0));
	return true;
}

static bool t_devorder_format(const void *arg)
{
	char buf[SMC_DEVORDER_TEXT_LEN];

	(void)arg;
	CHECK_EQ(smc_devorder_format(0x21, buf, sizeof(buf)), 12);
	CHECK(!strcmp(buf, "loopback ism"));
	CHECK_EQ(smc_devorder_format(0, buf, sizeof(buf)), 0);
	CHECK(!strcmp(buf, ""));
	CHECK_EQ(smc_devorder_format(0x3, buf, sizeof(buf)), -EINVAL);
	CHECK(!strcmp(buf, ""));
	CHECK_EQ(smc_devorder_format(0x201, buf, sizeof(buf)), -EINVAL);
	CHECK_EQ(smc_devorder_format(0x21, buf, 12), -ENOSPC);
	CHECK(!strcmp(buf, ""));
	CHECK_EQ(smc_devorder_format(0x21, buf, 13), 12);
	CHECK_EQ(smc_devorder_format(0x21, buf, 0), -ENOSPC);
	return true;
}

int main(void)
{
	static const struct tap_case cases[] = {
		{ "EIDs", t_eid, NULL },
		{ "PNET IDs from users", t_pnetid, NULL },
		{ "PNET IDs from devices", t_raw_pnetid, NULL },
		{ "device order read", t_devorder_parse, NULL },
		{ "device order written", t_devorder_format, NULL },
	};

	return tap_run(cases, ARRAY_SIZE(cases));
}
