# shellcheck shell=sh
# A systemctl for lab hosts, which have no systemd: start, stop, restart, reload, is-active,
# is-failed, status, show, enable, disable, is-enabled, list-units, daemon-reload.
# Services run in their own session (setsid) so that they outlive the ssh session.
. "$LAB_BIN/lib.sh"

QUIET=0
VALUE=0
PROPS=""
ARGS=""
cmd=""
while [ $# -gt 0 ]; do
  case $1 in
    -q | --quiet) QUIET=1 ;;
    -p | --property) PROPS="$PROPS,$2"; shift ;;
    --property=*) PROPS="$PROPS,${1#--property=}" ;;
    --value) VALUE=1 ;;
    -*) ;;
    *) if [ -z "$cmd" ]; then cmd=$1; else ARGS="$ARGS $1"; fi ;;
  esac
  shift
done

say() { [ "$QUIET" = 1 ] || echo "$@"; }

wait_gone() { # PID SECONDS
  _i=0
  while alive "$1"; do
    _i=$((_i + 1))
    [ "$_i" -le $(($2 * 10)) ] || return 1
    sleep 0.1
  done
}

start_unit() {
  if pid_of "$U_NAME" >/dev/null; then return 0; fi
  rm -f "$STATE/$U_NAME.failed" "$STATE/$U_NAME.pid"
  if [ "$U_NAME" = mariadb ]; then
    mkdir -p /run/mysqld
    # A Galera member bootstrapped by galera_new_cluster (lab/galera): its flag, this start only.
    _new=""
    [ ! -s "$STATE/mariadb.new-cluster" ] || _new=--wsrep-new-cluster
    # And its committed position, as Debian's mariadb.service finds it (ExecStartPre:
    # galera_recovery): after a crash grastate.dat says seqno -1, and a member started without
    # --wsrep-start-position would bootstrap a new history from 0 or ask for a needless SST.
    _pos=""
    if grep -q '^wsrep_on = ON' "$MYCNF" && [ -e /var/lib/mysql/ibdata1 ]; then
      if ! _pos=$(/usr/bin/galera_recovery 2>>"$U_LOG"); then
        echo "galera_recovery failed: $(tail -n 2 "$U_LOG" | tr '\n' ' ')" >"$STATE/mariadb.failed"
        echo "Job for mariadb.service failed because the control process exited with error code." >&2
        return 1
      fi
    fi
    # shellcheck disable=SC2086 # _new and _pos are one word or none
    setsid /bin/sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$STATE/mariadb.pid" \
      /usr/sbin/mariadbd --defaults-file="$MYCNF" $_new $_pos </dev/null >>"$U_LOG" 2>&1 &
    _i=0
    until mysql --no-defaults -S "$SOCK" -u root -N -e 'SELECT 1' >/dev/null 2>&1; do
      _i=$((_i + 1))
      if [ "$_i" -gt 600 ] || { [ "$_i" -gt 5 ] && ! pid_of mariadb >/dev/null; }; then
        echo "mariadbd did not start: $(tail -n 3 /var/log/mysql/error.log 2>/dev/null | tr '\n' ' ')" >"$STATE/mariadb.failed"
        echo "Job for mariadb.service failed because the control process exited with error code." >&2
        echo "See \"systemctl status mariadb.service\" and /var/log/mysql/error.log for details." >&2
        return 1
      fi
      sleep 0.1
    done
    return 0
  fi
  if [ -n "$U_CMD" ]; then start_daemon; return; fi
  if [ "$U_CONF" != - ] && ! _m=$(conf_valid "$U_CONF"); then
    echo "$(stamp) CRITICAL $U_NAME cannot start: $_m" >>"$U_LOG"
    echo "$_m" >"$STATE/$U_NAME.failed"
    echo "Job for $U_NAME.service failed because the control process exited with error code." >&2
    echo "See \"systemctl status $U_NAME.service\" for details." >&2
    return 1
  fi
  setsid bash -c 'echo $$ >"$1"; exec -a "$2" /bin/sh "$3" "$2"' sh "$STATE/$U_NAME.pid" "$U_NAME" \
    "$LAB_BIN/lab-service.sh" </dev/null >>"$U_LOG" 2>&1 &
  _i=0
  until [ -s "$STATE/$U_NAME.pid" ]; do
    _i=$((_i + 1))
    [ "$_i" -le 100 ] || { echo "Failed to start $U_NAME.service" >&2; return 1; }
    sleep 0.05
  done
}

# A real daemon (U_CMD): its own session, as its user, the pid file written before exec. Waits
# until it answers (its checks pass), at most LAB_START_TIMEOUT seconds (default 180): fails
# when it exits or does not answer by then.
start_daemon() {
  if [ "$U_CONF" != - ] && ! _m=$(conf_valid "$U_CONF"); then
    echo "$_m" >"$STATE/$U_NAME.failed"
    echo "Job for $U_NAME.service failed because the control process exited with error code." >&2
    echo "See \"systemctl status $U_NAME.service\" for details. ($_m)" >&2
    return 1
  fi
  _cd=${U_LOG%/*}
  [ -d "$_cd" ] || mkdir -p "$_cd"
  echo "$(stamp) lab systemctl: starting $U_NAME as ${U_USER%%:*}" >>"$U_LOG"
  # shellcheck disable=SC2086 # U_CMD is the unit's command line, split into words as a unit's ExecStart
  setsid /bin/sh -c 'echo $$ >"$1"; shift; cd /; exec "$@"' sh "$STATE/$U_NAME.pid" \
    setpriv --reuid="${U_USER%%:*}" --regid="${U_USER##*:}" --init-groups -- $U_CMD </dev/null >>"$U_LOG" 2>&1 &
  _i=0
  _limit=$((${LAB_START_TIMEOUT:-180} * 2))
  while :; do
    sleep 0.5
    _i=$((_i + 1))
    if ! pid_of "$U_NAME" >/dev/null && [ "$_i" -gt 1 ]; then
      echo "main process exited: $(tail -n 2 "$U_LOG" 2>/dev/null | tr '\n' ' ' | cut -c1-300)" >"$STATE/$U_NAME.failed"
      echo "Job for $U_NAME.service failed because the control process exited with error code." >&2
      echo "See \"systemctl status $U_NAME.service\" and $U_LOG for details." >&2
      return 1
    fi
    if pid_of "$U_NAME" >/dev/null && health >/dev/null 2>&1; then return 0; fi
    if [ "$_i" -ge "$_limit" ]; then
      echo "Job for $U_NAME.service timed out: it runs but does not answer ($(health 2>&1 | head -n 1))." >&2
      return 1
    fi
  done
}

stop_unit() {
  if _p=$(pid_of "$U_NAME"); then
    kill -s TERM -- "-$_p" 2>/dev/null || kill -s TERM "$_p" 2>/dev/null
    wait_gone "$_p" 60 || { kill -s KILL -- "-$_p" 2>/dev/null; kill -s KILL "$_p" 2>/dev/null; wait_gone "$_p" 5; }
    # A real daemon's workers (uwsgi's, cinder-volume's backend process) go with it.
    [ -z "$U_CMD" ] || kill -s KILL -- "-$_p" 2>/dev/null
  fi
  rm -f "$STATE/$U_NAME.pid" "$STATE/$U_NAME.failed"
}

status_unit() {
  state_of
  _en=enabled
  [ -e "$STATE/$U_NAME.disabled" ] && _en=disabled
  case $S_STATE in
    active) _act="active (running)" ;;
    activating) _act="activating (start): unhealthy" ;;
    failed) _act="failed (Result: exit-code)" ;;
    *) _act="inactive (dead)" ;;
  esac
  echo "* $U_NAME.service - $U_DESC"
  echo "     Loaded: loaded (lab host $LAB_HOST; $_en)"
  echo "     Active: $_act"
  [ -z "$S_PID" ] || echo "   Main PID: $S_PID ($U_NAME)"
  [ -z "$S_MSG" ] || echo "     Health: $S_MSG"
  [ -z "$U_LOG" ] || [ ! -f "$U_LOG" ] || { echo; tail -n 5 "$U_LOG" | sed 's/^/  /'; }
  [ "$S_STATE" = active ]
}

show_unit() {
  state_of
  _en=enabled
  [ -e "$STATE/$U_NAME.disabled" ] && _en=disabled
  for _p in $(echo "${PROPS:-,Id,Description,LoadState,ActiveState,SubState,MainPID,UnitFileState}" | tr ',' ' '); do
    case $_p in
      Id) _v="$U_NAME.service" ;;
      Description) _v=$U_DESC ;;
      LoadState) _v=loaded ;;
      ActiveState) _v=$S_STATE ;;
      SubState) _v=$S_SUB ;;
      MainPID) _v=${S_PID:-0} ;;
      UnitFileState) _v=$_en ;;
      *) _v="" ;;
    esac
    if [ "$VALUE" = 1 ]; then echo "$_v"; else echo "$_p=$_v"; fi
  done
}

not_found() {
  echo "Unit $1.service could not be found." >&2
}

rc=0
case $cmd in
  daemon-reload | reset-failed) exit 0 ;;
  lab-health) # for `lab status`: unit|state|why, one line per unit
    for n in $(unit_names); do
      unit_load "$n"
      state_of
      printf '%s|%s|%s\n' "$n" "$S_STATE" "$(echo "$S_MSG" | head -n 1)"
    done
    exit 0
    ;;
  list-units | list-unit-files | "")
    printf '%-24s %-7s %-10s %-8s %s\n' UNIT LOAD ACTIVE SUB DESCRIPTION
    for n in $(unit_names); do
      unit_load "$n"
      state_of
      printf '%-24s %-7s %-10s %-8s %s\n' "$n.service" loaded "$S_STATE" "$S_SUB" "$U_DESC"
    done
    exit 0
    ;;
esac
[ -n "$ARGS" ] || { echo "Too few arguments." >&2; exit 1; }
for u in $ARGS; do
  if ! unit_load "$u"; then
    n=$(unit_name "$u")
    case $cmd in
      is-active) say inactive; rc=3 ;;
      is-failed) say inactive; [ $rc -ne 0 ] || rc=1 ;;
      status) not_found "$n"; rc=4 ;;
      *) echo "Failed to $cmd $n.service: Unit $n.service not found." >&2; rc=5 ;;
    esac
    continue
  fi
  case $cmd in
    start) start_unit || rc=1 ;;
    stop) stop_unit ;;
    restart | reload | reload-or-restart | try-restart) stop_unit; start_unit || rc=1 ;;
    is-active)
      state_of
      say "$S_STATE"
      [ "$S_STATE" = active ] || rc=3
      ;;
    is-failed)
      state_of
      say "$S_STATE"
      [ "$S_STATE" = failed ] || { [ $rc -ne 0 ] || rc=1; }
      ;;
    status) status_unit || { [ $rc -ne 0 ] || rc=3; } ;;
    show) show_unit ;;
    enable) rm -f "$STATE/$U_NAME.disabled" ;;
    disable) : >"$STATE/$U_NAME.disabled" ;;
    is-enabled)
      if [ -e "$STATE/$U_NAME.disabled" ]; then say disabled; rc=1; else say enabled; fi
      ;;
    *) echo "Unknown command verb $cmd." >&2; exit 1 ;;
  esac
done
exit $rc
