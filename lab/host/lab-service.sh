# shellcheck shell=sh
# The main loop of a lab OpenStack service: checks its config and database every few seconds
# and logs when its health changes, as the real service would log its errors.
. "$LAB_BIN/lib.sh"
unit_load "$1" || exit 2
trap 'echo "$(stamp) INFO $U_NAME stopping (signal)" >>"$U_LOG"; exit 0' TERM INT
echo "$(stamp) INFO $U_NAME starting on $LAB_HOST, config $U_CONF" >>"$U_LOG"
last=""
while :; do
  if m=$(health); then s="ok: $m"; else s="ERROR $m"; fi
  [ "$s" = "$last" ] || echo "$(stamp) $s" >>"$U_LOG"
  last=$s
  sleep "${LAB_SERVICE_INTERVAL:-5}" &
  wait $! 2>/dev/null
done
