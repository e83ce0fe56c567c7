#!/usr/bin/env bash
# Makes the base image the container tests build Switchboard's image on, where no container registry is
# reachable: Debian bookworm (debootstrap --variant=minbase) with openjdk-17-jre-headless, both from this
# machine's own Debian mirror, imported with `podman import`. Prints the image's name on stdout (progress goes to
# stderr), e.g. localhost/switchboard-test-base:3f9a1c2b7d4e.
#
# The name carries a hash of this script, so a changed script makes a new base. Made once per machine and kept:
# the image stays in podman's storage, and the root file system as base-<hash>.tar.gz in the cache folder
# ($SWITCHBOARD_CONTAINER_CACHE, else $XDG_CACHE_HOME/switchboard-container, else ~/.cache/switchboard-container),
# from which a lost image is imported again without debootstrap. Delete both to make it afresh. Never commit them.
#
# Needs root (debootstrap), debootstrap and podman. DEBIAN_MIRROR overrides the mirror, which is otherwise the
# first bookworm source in /etc/apt/sources.list or /etc/apt/sources.list.d/ (else deb.debian.org).
set -euo pipefail

key=$(sha256sum "$0" | cut -c1-12)
image=localhost/switchboard-test-base:$key
cache=${SWITCHBOARD_CONTAINER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/switchboard-container}
rootfs_archive=$cache/base-$key.tar.gz

log() { echo "make-test-base: $*" >&2; }

# The first URI of a bookworm source: one-line entries (deb [options] URI SUITE ...) and deb822 paragraphs
# (Types/URIs/Suites). Security and other suites are passed over.
debian_mirror() {
  local files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
  local existing=()
  for file in "${files[@]}"; do [ -f "$file" ] && existing+=("$file"); done
  [ ${#existing[@]} -gt 0 ] || return 0
  awk '
    function flush() {
      if (!found && types ~ /(^| )deb( |$)/ && (" " suites " ") ~ / bookworm /) {
        split(uris, u, " "); print u[1]; found = 1; exit
      }
      types = ""; uris = ""; suites = ""
    }
    FNR == 1 { flush() }
    FILENAME ~ /\.sources$/ {
      if ($0 ~ /^[[:space:]]*$/) { flush(); next }
      if (tolower($1) == "types:") { $1 = ""; types = $0 }
      if (tolower($1) == "uris:") { $1 = ""; uris = $0 }
      if (tolower($1) == "suites:") { $1 = ""; suites = $0 }
      next
    }
    { flush() }
    $1 == "deb" {
      line = $0; sub(/^deb[[:space:]]+/, "", line); sub(/^\[[^]]*\][[:space:]]*/, "", line)
      split(line, f, /[[:space:]]+/)
      if (f[2] == "bookworm") { print f[1]; found = 1; exit }
    }
    END { flush() }
  ' "${existing[@]}"
}

import_archive() {
  log "importing $rootfs_archive as $image"
  # An imported file system has no configuration: give it what a Java base image has.
  podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
    --change 'CMD ["/bin/bash"]' \
    "$rootfs_archive" "$image" >/dev/null
}

if podman image exists "$image"; then
  echo "$image"
  exit 0
fi

mkdir -p "$cache"
# Two builds at once (another worktree's tests) make the base once.
exec 9>"$cache/lock"
flock 9
if podman image exists "$image"; then
  echo "$image"
  exit 0
fi

if [ ! -f "$rootfs_archive" ]; then
  [ "$(id -u)" = 0 ] || { log "debootstrap needs root; run this script as root"; exit 1; }
  command -v debootstrap >/dev/null || { log "debootstrap is not installed (apt-get install debootstrap)"; exit 1; }
  mirror=${DEBIAN_MIRROR:-$(debian_mirror)}
  mirror=${mirror:-http://deb.debian.org/debian}
  work=$(mktemp -d "$cache/work.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  log "debootstrap bookworm with openjdk-17-jre-headless from $mirror (about a minute)"
  if ! debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$work/rootfs" "$mirror" \
      > "$work/debootstrap.log" 2>&1; then
    tail -n 30 "$work/debootstrap.log" >&2
    log "debootstrap failed (the lines above are the end of its log)"
    exit 1
  fi
  # What a runtime never reads: downloaded packages, package lists, documentation, translations.
  rm -rf "$work/rootfs"/var/cache/apt/archives/*.deb "$work/rootfs"/var/lib/apt/lists/* \
    "$work/rootfs"/usr/share/doc/* "$work/rootfs"/usr/share/man/* "$work/rootfs"/usr/share/info/* \
    "$work/rootfs"/usr/share/locale/* "$work/rootfs"/var/log/*
  tar --numeric-owner -C "$work/rootfs" -c . | gzip -1 > "$work/rootfs.tar.gz"
  mv "$work/rootfs.tar.gz" "$rootfs_archive"
  log "kept the root file system in $rootfs_archive ($(du -h "$rootfs_archive" | cut -f1))"
fi

import_archive
echo "$image"
