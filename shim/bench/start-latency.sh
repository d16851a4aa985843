#!/usr/bin/env bash
# Times `containerd-shim-kata-cc-v2 start` (launch + daemonize + serve + print address) N times.
# Build first: bin/mvn -q -pl shim -am package -DskipTests
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/b"
echo '{"ociVersion":"1.1.0"}' > "$work/b/config.json"
printf '[hypervisor.qemu]\npath = "/usr/bin/qemu-system-x86_64"\nkernel = "/boot/vmlinuz"\ninitrd = "/boot/initrd.img"\n[runtime]\nstate_dir = "%s/state"\n' "$work" > "$work/k.toml"
cd "$work/b"
for i in $(seq 1 "$n"); do
  s=$(date +%s%N)
  KATA_CC_CONF_FILE="$work/k.toml" KATA_CC_SHIM_SOCKET_DIR="$work/s" \
    "$repo/bin/containerd-shim-kata-cc-v2" -namespace "bench$i" -address /bench -publish-binary /bin/true -id "c$i" start >/dev/null
  e=$(date +%s%N)
  echo "start $i: $(( (e - s) / 1000000 )) ms"
  kill "$(cat shim.pid)"
done
