# shellcheck shell=sh
# `service NAME ACTION`, as on a sysvinit/Debian host: forwards to the lab's systemctl.
[ $# -ge 2 ] || { echo "Usage: service <service> start|stop|restart|status" >&2; exit 2; }
exec /bin/sh "$LAB_BIN/systemctl.sh" "$2" "$1"
