// SPDX-License-Identifier: GPL-2.0
/*
 * smc_reason - print SMC decline/fallback reason codes in words, with the
 * same text the kernel module and every other tool of ours use (the CLC
 * codec's table, compiled in here).
 *
 *   smc_reason 0x03030000 [CODE...]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "smc_clc_wire.h"

int main(int argc, char **argv)
{
	unsigned long code;
	char *end;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: smc_reason CODE...\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		errno = 0;
		code = strtoul(argv[i], &end, 0);
		if (errno || *end || code > 0xffffffffUL) {
			fprintf(stderr, "smc_reason: not a reason code: %s\n",
				argv[i]);
			return 2;
		}
		printf("0x%08lx %s\n", code, smc_clc_reason_str((u32)code));
	}
	return 0;
}
