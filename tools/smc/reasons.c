// SPDX-License-Identifier: GPL-2.0
/*
 * smc - CLC decline and fallback reason codes in words.
 *
 * The codes are those of the SMC protocol as Linux uses them (Linux 6.1
 * net/smc/smc_clc.h, plus the v2.1 codes of later kernels; smc-ng's
 * net/smc/smc_clc_wire.h carries the same list).  The top byte is a
 * class: 0x01 resources, 0x02 timeouts, 0x03 configuration or
 * negotiation, 0x04 synchronization, 0x05 peer decline, 0x09 internal.
 */
#include "smc.h"

struct smc_reason {
	__u32		code;
	const char	*text;
};

static const struct smc_reason smc_reasons[] = {
	{ 0x01010000, "out of memory for SMC resources" },
	{ 0x02010000, "timed out waiting for the SMC-R link confirmation" },
	{ 0x02020000, "timed out waiting for an SMC-R link to be added" },
	{ 0x03000000, "SMC configuration error" },
	{ 0x03010000, "peer does not support SMC (no SMC option in the TCP handshake)" },
	{ 0x03020000, "connection uses IPsec" },
	{ 0x03030000, "no SMC device found" },
	{ 0x03030001, "no SMC-D device found" },
	{ 0x03030002, "no SMC-R device found" },
	{ 0x03030003, "no SMC-Dv2 capable device" },
	{ 0x03030004, "peer sent no SMCv2 extension" },
	{ 0x03030005, "peer sent no SMC-Dv2 extension" },
	{ 0x03030006, "peer sent no system EID" },
	{ 0x03030007, "no SMC-Dv2 device in common with the peer" },
	{ 0x03030008, "no user EID in common with the peer" },
	{ 0x03030009, "SMC release mismatch with the peer" },
	{ 0x0303000a, "too many connections per SMC-R link group" },
	{ 0x0303000b, "too many links per SMC-R link group" },
	{ 0x03040000, "SMC modes of the peers do not match" },
	{ 0x03050000, "peer wrote an eyecatcher into the receive buffer" },
	{ 0x03060000, "socket option SMC cannot honour (e.g. TCP Fast Open)" },
	{ 0x03070000, "peers are not in the same IP subnet" },
	{ 0x03080000, "cannot get the VLAN ID of the network device" },
	{ 0x03090000, "cannot register the VLAN ID on the SMC-D device" },
	{ 0x030a0000, "no active SMC-R link in the link group" },
	{ 0x030b0000, "SMC-R link of the server not found" },
	{ 0x030c0000, "SMC version mismatch" },
	{ 0x030d0000, "SMC-D device has no buffer left" },
	{ 0x030e0000, "no route to the peer for SMC-Rv2" },
	{ 0x030f0000, "SMC-Rv2 indirect path mismatch" },
	{ 0x04000000, "link group out of sync between the peers" },
	{ 0x05000000, "peer declined SMC (see its diagnosis)" },
	{ 0x09990000, "internal error" },
	{ 0x09990001, "internal error: RDMA token handling failed" },
	{ 0x09990002, "internal error: RDMA link did not become ready" },
	{ 0x09990003, "internal error: RDMA buffer registration failed" },
};

const char *smc_reason_str(__u32 code)
{
	unsigned int i;

	if (!code)
		return "none";
	for (i = 0; i < ARRAY_SIZE(smc_reasons); i++)
		if (smc_reasons[i].code == code)
			return smc_reasons[i].text;
	switch (code >> 24) {
	case 0x01:
		return "resource shortage (unknown detail)";
	case 0x02:
		return "timeout (unknown detail)";
	case 0x03:
		return "configuration or negotiation mismatch (unknown detail)";
	case 0x04:
		return "synchronization error (unknown detail)";
	case 0x05:
		return "peer declined (unknown detail)";
	case 0x09:
		return "internal error (unknown detail)";
	}
	return "unknown reason";
}

unsigned int smc_reason_count(void)
{
	return ARRAY_SIZE(smc_reasons);
}

__u32 smc_reason_code(unsigned int i)
{
	return i < ARRAY_SIZE(smc_reasons) ? smc_reasons[i].code : 0;
}
