#!/usr/bin/env bash
# Installs the Debian packages that the lab and the integration tests use, when missing
# (ansible-core is the reference the inventory oracle test compares with; systemd's
# systemd-analyze, cron's crontab and prometheus's promtool are the references that
# `runbook schedule`'s units and crontab line and `runbook backups --metrics` are checked with:
# none of their daemons is started, see policy-rc.d below; age encrypts backups on the lab's
# hosts, which share this machine's /usr: test/integration/encrypted-backups.test.ts). Swift's
# servers and memcached run the lab's off-site host (lab up --offsite, lab/swift), started by the
# lab, never by the packages; python3-swiftclient is what the tests check Swift's contents with.
# galera-4 and iproute2 (ss, for the rsync SST script) are the Galera lab's (lab/README.md).
# As root it runs apt-get; otherwise it names what to install and fails.
set -euo pipefail
# zstd and mariadb-backup: backup-db's dumps (zstd) and the physical backups (mariabackup, mbstream)
# run on the lab's controller, which uses this machine's programs.
packages=(openssh-server openssh-client mariadb-server mariadb-client rsync ansible-core systemd cron prometheus age
  swift swift-proxy swift-account swift-container swift-object python3-swiftclient memcached curl galera-4 iproute2
  zstd mariadb-backup)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "runbook: missing Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "runbook: installing ${missing[*]} with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d keeps the packages' own services from starting: the lab starts its own, and cron's
# and prometheus's daemons must never run here. Machines from the image have one (exit 101);
# elsewhere one is put in place for the install and removed after it.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
