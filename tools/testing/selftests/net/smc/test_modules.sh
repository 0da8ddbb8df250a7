#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Our modules load and unload cleanly, many times over, and the AF_SMC
# family appears and disappears with them. Leaks or refcount problems show
# up as an rmmod failure or in the kernel log (checked by the guest).
source "$(dirname "$0")/lib.sh"

ROUNDS=20
mapfile -t mods < <(ls /lib/modules/"$(uname -r)"/updates/smc-ng/ 2>/dev/null |
		    sed -n 's/\.ko$//p' | tr - _)
# Dependents first when unloading: smc_diag and device drivers use smc.
unload_order=()
for m in "${mods[@]}"; do
	[ "$m" = smc ] || unload_order+=("$m")
done
unload_order+=(smc)

tap_plan 6

if [ ${#mods[@]} -ge 2 ] && [[ " ${mods[*]} " == *" smc "* ]] &&
   [[ " ${mods[*]} " == *" smc_diag "* ]]; then
	ok "our modules are installed: ${mods[*]}"
else
	fail "our modules are installed: found '${mods[*]}'"
fi

# modprobe must pick ours, not the distribution's smc.ko.
modprobe smc
path=$(modinfo -n smc 2>/dev/null)
case "$path" in
*/updates/smc-ng/*) ok "modprobe smc resolves to ours ($path)" ;;
*) fail "modprobe smc resolves to ours: $path" ;;
esac
modprobe -r smc

bad=0
for i in $(seq $ROUNDS); do
	for m in "${mods[@]}"; do
		modprobe "$m" || { echo "# round $i: modprobe $m failed"; bad=1; }
	done
	grep -q '^SMC ' /proc/net/protocols ||
		{ echo "# round $i: SMC missing from /proc/net/protocols"; bad=1; }
	for m in "${unload_order[@]}"; do
		modprobe -r "$m" || { echo "# round $i: modprobe -r $m failed"; bad=1; }
	done
	for m in "${mods[@]}"; do
		if grep -q "^$m " /proc/modules; then
			echo "# round $i: $m still loaded"
			bad=1
		fi
	done
	[ $bad -eq 0 ] || break
done
if [ $bad -eq 0 ]; then
	ok "load and unload all modules $ROUNDS times"
else
	fail "load and unload all modules $ROUNDS times"
fi

# With smc.ko gone, AF_SMC is gone too (and nothing autoloads it here).
grep -q '^SMC ' /proc/net/protocols && fail "SMC proto unregistered" ||
	ok "SMC proto unregistered after unload"

# socket(AF_SMC) autoloads smc through the net-pf-43 alias.
python3 -c 'import socket; socket.socket(43, socket.SOCK_STREAM, 0).close()'
if grep -q '^smc ' /proc/modules; then
	ok "socket(AF_SMC) autoloads smc"
else
	fail "socket(AF_SMC) autoloads smc"
fi

# A socket left open pins the module; closing it releases the pin.
ready=$(mktemp -u)
python3 - "$ready" <<'PY' &
import socket, sys, time
s = socket.socket(43, socket.SOCK_STREAM, 0)
open(sys.argv[1], "w").close()
time.sleep(2)
s.close()
PY
holder=$!
for _ in $(seq 100); do [ -e "$ready" ] && break; sleep 0.1; done
if modprobe -r smc 2>/dev/null; then
	fail "an open AF_SMC socket keeps smc loaded"
else
	wait $holder
	check "smc unloads once the socket is closed" modprobe -r smc
fi
tap_exit
