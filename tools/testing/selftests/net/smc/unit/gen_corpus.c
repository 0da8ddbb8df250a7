// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the fuzzer seed corpus: every CLC fixture as encoded by the
 * codec, a handful of hand-broken variants of them, and CDC messages and
 * cursor parameter blocks.  Usage: gen_corpus <corpus-dir>; the files go
 * to <corpus-dir>/clc and <corpus-dir>/cdc, which must exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smc_clc_wire.h"
#include "smc_cdc_wire.h"
#include "clc_fixtures.h"

static const char *dir;
static unsigned int written;

static void emit(const char *sub, const char *name, const void *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
	written++;
}

static const char * const fx_files[FX_COUNT] = {
	[FX_PROP_LOOPBACK] = "prop-v2-smcd-loopback",
	[FX_PROP_R_V1ONLY] = "prop-v2-smcr-v1-only",
	[FX_PROP_R_V1V2] = "prop-v2-smcr-v1-v2",
	[FX_PROP_BOTH] = "prop-v2-both-ipv6-seid",
	[FX_PROP_V1_R] = "prop-v1-smcr",
	[FX_PROP_V1_D] = "prop-v1-smcd",
	[FX_PROP_V1_D_NOAREA] = "prop-v1-smcd-no-area",
	[FX_PROP_MAX] = "prop-v2-all-limits",
	[FX_PROP_NONE] = "prop-v2-nothing",
	[FX_ACC_R_V1] = "acc-smcr-v1",
	[FX_ACC_R_V1_FC] = "acc-smcr-v1-fc",
	[FX_ACC_D_V1] = "conf-smcd-v1",
	[FX_ACC_R_V2] = "acc-smcr-v2",
	[FX_ACC_R_V2_FC] = "acc-smcr-v2-fc",
	[FX_CONF_R_V2_FC1] = "conf-smcr-v2-fc-1gid",
	[FX_CONF_R_V2_FC2] = "conf-smcr-v2-fc-2gid",
	[FX_CONF_R_V2_FC8] = "conf-smcr-v2-fc-8gid",
	[FX_ACC_D_V2] = "acc-smcd-v2",
	[FX_ACC_D_V2_FC36] = "acc-smcd-v2-fce36",
	[FX_ACC_D_V2_FC52] = "acc-smcd-v2-fce52",
	[FX_CONF_D_V2] = "conf-smcd-v2",
	[FX_DECL_V1] = "decl-v1",
	[FX_DECL_V2] = "decl-v2",
	[FX_DECL_SYNC] = "decl-v2-syncerr",
};

/* a fixture with one byte changed */
static void emit_poked(const char *name, enum fx_id id, size_t len,
		       int off, u8 val)
{
	u8 m[SMC_CLC_MAX_LEN];

	memcpy(m, fx[id].msg, fx[id].len);
	if (off < 0)
		off += len;
	m[off] = val;
	emit("clc", name, m, len);
}

static void clc_seeds(void)
{
	u8 m[SMC_CLC_MAX_LEN + 256];
	unsigned int i;
	size_t n;

	build_fixtures();
	for (i = 0; i < FX_COUNT; i++)
		emit("clc", fx_files[i], fx[i].msg, fx[i].len);

	/* hand-broken variants, one defect each */
	emit("clc", "bad-header-only", fx[FX_PROP_LOOPBACK].msg, 8);
	emit("clc", "bad-truncated-proposal", fx[FX_PROP_LOOPBACK].msg, 150);
	emit_poked("bad-prop-trailer", FX_PROP_BOTH, fx[FX_PROP_BOTH].len,
		   -1, 0x00);
	emit_poked("bad-prop-eyecatcher", FX_PROP_R_V1V2, 164, 0, 0x00);
	emit_poked("bad-prop-v2ext-offset", FX_PROP_R_V1V2, 164, 51, 37);
	emit_poked("bad-prop-ism-count", FX_PROP_LOOPBACK, 224, 81, 3);
	emit_poked("bad-prop-v1-quirk-ipoff", FX_PROP_LOOPBACK, 224, 39, 40);
	emit_poked("bad-acc-fc-without-fce", FX_ACC_R_V2, 108, 7, 0x28);
	emit_poked("bad-acc-typev1-both", FX_ACC_D_V2, 78, 7, 0x23);
	emit_poked("bad-conf-gid-count", FX_CONF_R_V2_FC1, 180, 156, 2);
	emit_poked("bad-decl-length", FX_DECL_V1, 28, 7, 0x20);
	emit_poked("odd-decl-trailer", FX_DECL_V2, 44, -1, 0x00);

	/* nine IPv6 prefixes in an otherwise consistent v1 proposal */
	n = fx[FX_PROP_V1_R].len;
	memset(m, 0, sizeof(m));
	memcpy(m, fx[FX_PROP_V1_R].msg, 48);
	m[47] = 9;
	n += 9 * 17;
	memcpy(m + n - 4, fx[FX_PROP_V1_R].msg + 48, 4);
	m[5] = n >> 8;
	m[6] = n & 0xff;
	emit("clc", "bad-prop-v1-9-prefixes", m, n);
}

static void cdc_seeds(void)
{
	struct smc_cdc_info ci = {
		.seqno = 1,
		.token = 0x101,
		.prod = { .wrap = 0, .count = 4096 },
		.cons = { .wrap = 0, .count = 0 },
	};
	/* ring 100: old (2,90), rx (3,5), allowance 100, advance 20 */
	static const u8 curs_ok[30] = {
		0, 0, 0, 100, 0, 2, 0, 0, 0, 90, 0, 3, 0, 0, 0, 5,
		0, 0, 0, 100, 0, 0, 0, 20, 0, 0, 0, 0, 2, 0
	};
	/* ring 100, old (0xffff,90), rx (0,10): across the lap rollover */
	static const u8 curs_roll[30] = {
		0, 0, 0, 100, 0xff, 0xff, 0, 0, 0, 90, 0, 0, 0, 0, 0, 10,
		0, 0, 0, 100, 0, 0, 0, 100, 0, 0, 0, 0, 3, 0
	};
	/* ring 16, rx two laps ahead: must be flagged */
	static const u8 curs_bad[30] = {
		0, 0, 0, 16, 0, 1, 0, 0, 0, 3, 0, 3, 0, 0, 0, 3,
		0, 0, 0, 16, 0, 0, 0, 7, 0, 0, 0, 0, 1, 0
	};
	u8 m[SMCR_CDC_MSG_LEN];

	smcr_cdc_encode(m, sizeof(m), &ci);
	emit("cdc", "smcr-data", m, SMCR_CDC_MSG_LEN);
	ci.seqno = 0xffff;
	ci.prod.wrap = 0xffff;
	ci.prod.count = 65535;
	ci.cons.wrap = 7;
	ci.cons.count = 12345;
	ci.prod_flags = SMC_CDC_PF_WRITE_BLOCKED | SMC_CDC_PF_URG_PENDING |
			SMC_CDC_PF_URG_PRESENT;
	ci.conn_flags = SMC_CDC_CF_DONE_WRITING | SMC_CDC_CF_CONN_CLOSED;
	smcr_cdc_encode(m, sizeof(m), &ci);
	emit("cdc", "smcr-closing", m, SMCR_CDC_MSG_LEN);
	emit("cdc", "smcr-short-26", m, SMCR_CDC_MIN_RX_LEN);
	m[1] = 48;
	emit("cdc", "bad-smcr-length-byte", m, SMCR_CDC_MSG_LEN);

	ci.conn_flags = SMC_CDC_CF_CONN_ABORT;
	smcd_cdc_encode(m, sizeof(m), &ci);
	emit("cdc", "smcd-abort", m, SMCD_CDC_MSG_LEN);
	m[0] = 0;
	emit("cdc", "bad-smcd-type", m, SMCD_CDC_MSG_LEN);

	emit("cdc", "cursor-advance", curs_ok, sizeof(curs_ok));
	emit("cdc", "cursor-rollover", curs_roll, sizeof(curs_roll));
	emit("cdc", "cursor-skips-lap", curs_bad, sizeof(curs_bad));
}

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s <corpus-dir>\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	for (i = 0; i < FX_COUNT; i++)
		if (!fx_files[i]) {
			fprintf(stderr, "fixture %u has no file name\n", i);
			return 1;
		}
	clc_seeds();
	cdc_seeds();
	printf("gen_corpus: %u files written to %s\n", written, dir);
	return 0;
}
