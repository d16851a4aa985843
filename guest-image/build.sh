#!/usr/bin/env bash
# Builds the kata-cc-java utility-VM guest image: a Debian kernel plus an initramfs holding busybox,
# runc, kmod, the kernel modules the agent needs, a jlinked Java runtime, the agent jar and our init.
# Output is cached outside the repo under a key derived from every input; a cache hit costs only the
# hashing. Prints the image directory (vmlinux, vmlinuz, initramfs, cmdline, manifest) on stdout.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
usage() {
  cat >&2 <<'EOF'
usage: guest-image/build.sh --agent-jar JAR [options]
  --agent-jar JAR        runnable agent jar (Main-Class in its manifest; shaded or with --agent-lib)
  --agent-lib DIR        jars the agent jar's Class-Path names, copied to /opt/kcc-agent/lib
  --default-policy FILE  Rego policy installed as /etc/kata-opa/default-policy.rego
  --kernel-version VER   kernel from /boot + /lib/modules (default: newest installed linux-image)
  --jdk DIR              JDK providing jlink (default: $KCC_GUEST_JDK or temurin-25)
  --java-modules LIST    jlink --add-modules list (default: what netty/protobuf/logback/BC/Jackson need)
  --compress none|gzip   initramfs compression (default none: under TCG unpacking gzip costs 1.5 s)
  --aot-cache            add a JDK AOT cache of the agent's startup (JEP 483/514), made by a training start of
                         the agent in the image root: 3x faster agent start, +~45 MB; the cache file itself is
                         not byte-reproducible (everything else still is)
  --cache-dir DIR        default: ${XDG_CACHE_HOME:-$HOME/.cache}/kata-cc-java/guest-image
  --force                rebuild even when the cache has this key
  --print-key            print the cache key for these inputs and exit (no build)
Environment: KCC_GUEST_IMAGE_KEEP (default 4) newest images kept in the cache; SOURCE_DATE_EPOCH (default 0).
EOF
  exit 2
}
die() { echo "guest-image: $*" >&2; exit 1; }
log() { echo "guest-image: $*" >&2; }

agent_jar="" agent_lib="" policy="" kver="" force=0 compress=none print_key=0 aot=0
jdk=${KCC_GUEST_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
# jdeps over the agent's dependency set: netty/protobuf need java.logging + jdk.unsupported, logback
# java.xml (+ java.naming), Bouncy Castle java.naming + java.sql, the agent java.management. java.desktop (Jackson/JNA, optional) and
# jdk.jfr (netty, optional) are left out: 13 MB for code paths the agent never takes.
java_modules=java.base,java.logging,java.management,java.naming,java.sql,java.xml,jdk.unsupported
cache_root=${XDG_CACHE_HOME:-${HOME:?set HOME or XDG_CACHE_HOME}/.cache}/kata-cc-java/guest-image
while [ $# -gt 0 ]; do
  case "$1" in
    --agent-jar) agent_jar=${2:?}; shift 2 ;;
    --agent-lib) agent_lib=${2:?}; shift 2 ;;
    --default-policy) policy=${2:?}; shift 2 ;;
    --kernel-version) kver=${2:?}; shift 2 ;;
    --jdk) jdk=${2:?}; shift 2 ;;
    --java-modules) java_modules=${2:?}; shift 2 ;;
    --cache-dir) cache_root=${2:?}; shift 2 ;;
    --compress) compress=${2:?}; shift 2 ;;
    --force) force=1; shift ;;
    --aot-cache) aot=1; shift ;;
    --print-key) print_key=1; shift ;;
    -h|--help) usage ;;
    *) echo "guest-image: unknown argument: $1" >&2; usage ;;
  esac
done

[ -n "$agent_jar" ] || { echo "guest-image: --agent-jar is required" >&2; usage; }
[ -f "$agent_jar" ] || die "agent jar not found: $agent_jar"
agent_jar=$(readlink -f "$agent_jar")
[ -z "${agent_lib}" ] || [ -d "$agent_lib" ] || die "agent lib dir not found: $agent_lib"
[ -z "$policy" ] || [ -f "$policy" ] || die "default policy not found: $policy"
case "$compress" in none|gzip) ;; *) die "--compress must be none or gzip, got: $compress" ;; esac
[ -x "$jdk/bin/jlink" ] || die "no jlink in $jdk (set --jdk or KCC_GUEST_JDK)"
mf_dir=$(mktemp -d) || die "mktemp failed"
main_class=$(cd "$mf_dir" && "$jdk/bin/jar" -xf "$agent_jar" META-INF/MANIFEST.MF 2>/dev/null \
  && tr -d '\r' <META-INF/MANIFEST.MF | sed -n 's/^Main-Class: *//p') || true
rm -rf "$mf_dir"
[ -n "$main_class" ] || die "agent jar has no Main-Class in its manifest (not runnable): $agent_jar"

if [ -z "$kver" ]; then
  kver=$(ls /lib/modules 2>/dev/null | while read -r v; do [ -f "/boot/vmlinuz-$v" ] && echo "$v"; done \
    | sort -V | tail -1)
  [ -n "$kver" ] || die "no kernel found (/boot/vmlinuz-* with /lib/modules/*): install linux-image-amd64"
fi
kernel=/boot/vmlinuz-$kver
[ -f "$kernel" ] || die "kernel not found: $kernel"
[ -d "/lib/modules/$kver" ] || die "modules not found: /lib/modules/$kver"
for tool in /bin/busybox /usr/sbin/runc /bin/kmod depmod modprobe cpio gzip xz flock ldd; do
  command -v "$tool" >/dev/null || die "missing $tool: run bin/install-test-deps"
done

# Modules the init loads; their dependencies are resolved below. sev-guest only binds in an SNP guest.
modules=(virtio_pci virtio_blk virtio_console virtio_rng vmw_vsock_virtio_transport
         dm_verity erofs overlay sev-guest)

# --- cache key: every input that can change the image -------------------------------------------
pkgver() { dpkg-query -W -f='${Package}=${Version}\n' "$@" 2>/dev/null || true; }
key=$( {
  echo "format=1"
  sha256sum "$here/build.sh" "$here/init" | cut -d' ' -f1
  sha256sum "$agent_jar" | cut -d' ' -f1
  [ -z "$policy" ] || echo "policy=$(sha256sum "$policy" | cut -d' ' -f1)"
  [ -z "$agent_lib" ] || (cd "$agent_lib" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum)
  echo "kernel=$kver"; sha256sum "$kernel" "/lib/modules/$kver/modules.dep" | cut -d' ' -f1
  pkgver busybox-static runc kmod libc6 libseccomp2 "linux-image-$kver"
  cat "$jdk/release"; echo "java_modules=$java_modules"; echo "modules=${modules[*]}"; echo "compress=$compress"; echo "aot=$aot"
} | sha256sum | cut -c1-16)
[ "$print_key" = 0 ] || { echo "$key"; exit 0; }
out=$cache_root/$key
if [ "$force" = 0 ] && [ -f "$out/manifest" ]; then
  touch "$out"   # recently used images survive pruning
  log "cached $out"; echo "$out"; exit 0
fi

mkdir -p "$cache_root"
# One builder per key; a second caller waits and then finds the finished image.
exec 9>"$cache_root/.$key.lock"
flock 9
if [ "$force" = 0 ] && [ -f "$out/manifest" ]; then touch "$out"; log "cached $out"; echo "$out"; exit 0; fi

start=$(date +%s.%N)
work=$(mktemp -d "$cache_root/.build-$key.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,proc,sys,dev,run,tmp,mnt,opt,root,var} \
         "$root"/usr/lib/x86_64-linux-gnu "$root/etc/kcc-agent"
chmod 1777 "$root/tmp"
# The kernel opens /dev/console for init's stdio before anything is mounted.
mknod -m 600 "$root/dev/console" c 5 1 || die "mknod /dev/console failed (run as root)"

# busybox: one static binary, applets as symlinks so PATH lookups work without /bin/sh tricks.
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list-full); do
  [ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done

# Copies an ELF file and the shared libraries it loads (same paths as on the host).
copy_elf() {
  local f=$1 dest=${2:-$1}
  mkdir -p "$root$(dirname "$dest")"
  cp -L "$f" "$root$dest"
  ldd "$f" 2>/dev/null | grep -oE '(/[^ ]+)' | while read -r lib; do
    [ -e "$root$lib" ] && continue
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
}
copy_elf /usr/sbin/runc
rm -f "$root/sbin/modprobe" "$root/sbin/insmod" "$root/sbin/rmmod" "$root/sbin/lsmod" "$root/sbin/depmod" \
      "$root/sbin/modinfo"
copy_elf /bin/kmod /sbin/kmod
for t in modprobe insmod rmmod lsmod depmod modinfo; do ln -sf kmod "$root/sbin/$t"; done

# Kernel modules with their dependency closure, then depmod so modprobe works in the guest.
mods_listed=$work/mods
: >"$mods_listed"
for m in "${modules[@]}"; do
  if ! modprobe -S "$kver" --show-depends "$m" >>"$mods_listed" 2>/dev/null; then
    log "module $m not in kernel $kver: skipped"
  fi
done
grep -oE '/lib/modules/[^ ]+\.ko[^ ]*' "$mods_listed" | sort -u | while read -r ko; do
  mkdir -p "$root$(dirname "$ko")"
  cp "$ko" "$root$ko"
done
cp "/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} "$root/lib/modules/$kver/" 2>/dev/null || true
depmod -b "$root" "$kver"

# Java runtime: jlink without jmods works on JDK 24+ (JEP 493); the CDS archive halves JVM startup.
"$jdk/bin/jlink" --add-modules "$java_modules" --strip-debug --no-header-files --no-man-pages \
  --generate-cds-archive --output "$root/opt/java" >/dev/null
rm -f "$root/opt/java/lib/server/classes_nocoops.jsa"   # only used with heaps > 32 GiB
for so in "$root"/opt/java/bin/java $(find "$root/opt/java/lib" -name '*.so'); do
  ldd "$so" 2>/dev/null | grep -oE '(/[^ ]+)' | grep -v "^$root" | while read -r lib; do
    [ -e "$root$lib" ] || { mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"; }
  done
done

# Agent.
mkdir -p "$root/opt/kcc-agent"
cp "$agent_jar" "$root/opt/kcc-agent/agent.jar"
[ -z "$agent_lib" ] || cp -r "$agent_lib" "$root/opt/kcc-agent/lib"

cp "$here/init" "$root/init"
chmod 0755 "$root/init"
echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
echo "root:x:0:" >"$root/etc/group"
echo "kata-cc" >"$root/etc/hostname"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$root/etc/hosts"
: >"$root/etc/resolv.conf"
mkdir -p "$root/etc/kata-opa"
[ -z "$policy" ] || cp "$policy" "$root/etc/kata-opa/default-policy.rego"

# Reproducible archive: fixed mtimes and owners, sorted names, device-independent inode numbers.
epoch=${SOURCE_DATE_EPOCH:-0}
find "$root" -exec touch -h -d "@$epoch" {} +

# Optional AOT cache: the JVM checks the class path's jars (path, size, mtime) against the cache, so the
# training start runs inside the image root, after the mtimes are final, with init's own JVM flags.
if [ "$aot" = 1 ]; then
  # A failed training costs speed, not the image: warn and build without the cache.
  aot_made=0
  train_cleanup() { umount "$root/proc" 2>/dev/null || true; umount "$root/dev" 2>/dev/null || true; }
  trap 'train_cleanup; rm -rf "$work"' EXIT
  if mount -t proc proc "$root/proc" && mount --bind /dev "$root/dev"; then
    mkdir -p "$root/tmp/train"
    chroot "$root" /opt/java/bin/java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      -XX:AOTCacheOutput=/opt/kcc-agent/agent.aot -jar /opt/kcc-agent/agent.jar \
      --address=unix:///tmp/train/agent.sock --run-dir=/tmp/train/run --state-dir=/tmp/train/state \
      --etc-dir=/tmp/train/etc >"$work/aot-train.log" 2>&1 &
    train=$!
    for _ in $(seq 600); do [ -S "$root/tmp/train/agent.sock" ] && break; kill -0 "$train" 2>/dev/null || break; sleep 0.05; done
    if [ -S "$root/tmp/train/agent.sock" ]; then
      kill -TERM "$train" 2>/dev/null || true; wait "$train" || true
      [ -s "$root/opt/kcc-agent/agent.aot" ] && aot_made=1
    else
      kill -KILL "$train" 2>/dev/null || true; wait "$train" 2>/dev/null || true
    fi
  fi
  train_cleanup
  trap 'rm -rf "$work"' EXIT
  rm -rf "$root/tmp/train"
  if [ "$aot_made" = 1 ]; then
    touch -h -d "@$epoch" "$root/opt/kcc-agent/agent.aot" "$root/tmp" "$root/opt/kcc-agent"
    log "AOT cache $(stat -c %s "$root/opt/kcc-agent/agent.aot") bytes"
  else
    rm -f "$root/opt/kcc-agent/agent.aot"
    touch -h -d "@$epoch" "$root/tmp" "$root/opt/kcc-agent"
    log "warning: AOT training run failed, image built without the cache: $(tail -3 "$work/aot-train.log" 2>/dev/null | tr '\n' ' ')"
  fi
fi
(cd "$root" && find . -mindepth 1 -print0 | LC_ALL=C sort -z \
  | cpio --null --create --format=newc --reproducible --owner=0:0 --quiet) >"$work/initramfs.cpio"
if [ "$compress" = gzip ]; then
  gzip -n -6 "$work/initramfs.cpio"
  mv "$work/initramfs.cpio.gz" "$work/initramfs"
else
  mv "$work/initramfs.cpio" "$work/initramfs"
fi
cp "$kernel" "$work/vmlinuz"
# The ELF vmlinux inside the bzImage boots through PVH (QEMU -kernel, Cloud Hypervisor's only direct-boot
# format) and skips the in-guest xz decompression: 3 s less to agent-ready under TCG.
off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$kernel" | head -1 | cut -d: -f1 || true)
[ -n "$off" ] || die "$kernel has no xz payload; cannot extract vmlinux (only xz-compressed kernels supported)"
tail -c +$((off + 1)) "$kernel" | xz -dc >"$work/vmlinux" 2>/dev/null || true  # trailing bytes make xz complain
[ "$(head -c 4 "$work/vmlinux" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] || die "extracted vmlinux is not ELF"
grep -q '^CONFIG_PVH=y' "/boot/config-$kver" 2>/dev/null || log "warning: kernel $kver lacks CONFIG_PVH; vmlinux will not boot via PVH"

# Kernel command line that boots this image (QEMU q35 / serial console); the shim may append to it.
echo "console=ttyS0 quiet panic=1 rdinit=/init tsc=reliable no_timer_check i8042.noaux i8042.nomux i8042.nopnp i8042.dumbkbd cryptomgr.notests random.trust_cpu=on" \
  >"$work/cmdline"
end=$(date +%s.%N)
{
  echo "key=$key"
  echo "kernel_version=$kver"
  echo "agent_jar=$agent_jar"
  echo "agent_main_class=$main_class"
  echo "agent_jar_sha256=$(sha256sum "$agent_jar" | cut -d' ' -f1)"
  echo "java_modules=$java_modules"
  echo "compress=$compress"
  echo "aot_cache=$([ -f "$root/opt/kcc-agent/agent.aot" ] && echo 1 || echo 0)"
  echo "default_policy_sha256=$([ -z "$policy" ] || sha256sum "$policy" | cut -d' ' -f1)"
  echo "kernel_modules=$(grep -oE '[^/]+\.ko' "$mods_listed" | sort -u | sed 's/\.ko$//' | paste -sd,)"
  echo "initramfs_bytes=$(stat -c %s "$work/initramfs")"
  echo "initramfs_unpacked_bytes=$(du -sb "$root" | cut -f1)"
  echo "initramfs_sha256=$(sha256sum "$work/initramfs" | cut -d' ' -f1)"
  echo "vmlinuz_sha256=$(sha256sum "$work/vmlinuz" | cut -d' ' -f1)"
  echo "vmlinux_sha256=$(sha256sum "$work/vmlinux" | cut -d' ' -f1)"
  echo "build_seconds=$(echo "$end - $start" | bc 2>/dev/null || awk "BEGIN{print $end-$start}")"
} >"$work/manifest.tmp"
rm -rf "$root" "$mods_listed"
chmod 0755 "$work"
mv "$work/manifest.tmp" "$work/manifest"
rm -rf "$out"
mv -T "$work" "$out"
trap - EXIT
# Keep the newest images only (each is ~100 MiB); older keys are rebuilt on demand.
keep=${KCC_GUEST_IMAGE_KEEP:-4}
ls -1dt "$cache_root"/*/ 2>/dev/null | tail -n +$((keep + 1)) | while read -r old; do
  [ "${old%/}" != "$out" ] && [ -f "${old}manifest" ] && rm -rf "$old" "$cache_root/.$(basename "$old").lock"
done
log "built $out"
echo "$out"
