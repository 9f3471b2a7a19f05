#!/usr/bin/env bash
# Installs Debian 12's OpenStack (Zed) packages that the real-OpenStack lab runs
# (`npm run lab -- up --openstack`) into the machine root, when missing. Idempotent.
# The packages' own services must not start (the lab starts its own, per host), and their
# postinst must not configure databases, keystone or endpoints (the lab's golden build does):
# a policy-rc.d refuses every start for the duration of the install, and openstack-pkg-tools'
# debconf questions are preseeded to false. nova-compute (the package) is not installed: it
# pulls libvirt, qemu and systemd; the lab runs nova.cmd.compute on the fake driver from
# python3-nova.
set -euo pipefail
packages=(
  mariadb-server mariadb-client rabbitmq-server
  keystone placement-api glance-api glance
  nova-api nova-conductor nova-scheduler python3-nova
  cinder-api cinder-scheduler cinder-volume python3-cinder
  python3-openstackclient uwsgi uwsgi-plugin-python3
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "runbook: the OpenStack packages are installed" >&2
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "runbook: missing Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo $0" >&2
  exit 1
fi
started=$(date +%s)
progress() { echo "runbook: [$(( $(date +%s) - started ))s] $*" >&2; }

# openstack-pkg-tools asks its own questions (not dbconfig's), named by project:
# keystone/configure_db, nova/configure_ksat, glance/configure_api-endpoint,
# cinder/ksat-create-service-user, novaapi/configure_db, ... All default to false; set them
# anyway so that a machine with other debconf answers gets no db sync, user or endpoint.
preseed() {
  local project q
  for project in keystone glance nova cinder placement; do
    for q in configure_db configure_rabbit configure_ksat configure_api-endpoint configure_placement \
             configure_neutron register-endpoint create-admin-tenant ksat-create-service-user; do
      echo "$project $project/$q boolean false"
    done
  done
  echo "nova-common novaapi/configure_db boolean false"
}
preseed | debconf-set-selections

policy=/usr/sbin/policy-rc.d
created_policy=no
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# runbook: no service starts while the OpenStack packages install\nexit 101\n' >"$policy"
  chmod 0755 "$policy"
  created_policy=yes
fi
cleanup() { if [ "$created_policy" = yes ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
progress "apt-get update"
apt-get update -qq
progress "downloading ${#missing[@]} packages and their dependencies (about 225 MB)"
apt-get install -y -qq --no-install-recommends --download-only "${missing[@]}" >/dev/null
progress "installing (unpack + configure; 3-10 minutes)"
# One progress line per package configured, not apt's whole output.
# (pipefail: a failed apt-get fails the script, set -e ends it here.)
apt-get install -y --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" 2>&1 |
  while IFS= read -r line; do
    case "$line" in
      "Setting up "*) progress "${line%%...*}" ;;
      E:*|*"dpkg: error"*) echo "$line" >&2 ;;
    esac
  done
progress "done"
