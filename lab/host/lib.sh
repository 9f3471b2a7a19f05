# shellcheck shell=sh
# Shared by systemctl.sh and lab-service.sh on a lab host. Environment from the wrappers in
# /usr/local/sbin: LAB_HOST (ctl1), LAB_HOST_DIR (the host's folder in the lab), LAB_BIN.
STATE="$LAB_HOST_DIR/state"
UNITS="$LAB_HOST_DIR/etc/units"
MYCNF="$LAB_HOST_DIR/etc/mariadb.cnf"
SOCK=/run/mysqld/mysqld.sock

stamp() { date -u +%Y-%m-%dT%H:%M:%SZ; }

# unit_name NAME: nova-api.service -> nova-api; mysql -> mariadb
unit_name() {
  n=${1%.service}
  case $n in mysql | mysqld | mariadbd) n=mariadb ;; esac
  echo "$n"
}

# unit_load NAME: sets U_NAME U_DESC U_CONF U_CHECKS U_LOG U_USER U_CMD, fails for an unknown
# unit. U_CMD is empty for a simulated service (lab-service.sh); a real daemon's command line
# (the real-OpenStack lab) runs as U_USER (user:group).
unit_load() {
  _n=$(unit_name "$1")
  while IFS='|' read -r _a _b _c _d _e _f _g; do
    if [ "$_a" = "$_n" ]; then
      U_NAME=$_a U_DESC=$_b U_CONF=$_c U_CHECKS=$_d U_LOG=$_e U_USER=$_f U_CMD=$_g
      return 0
    fi
  done <"$UNITS"
  return 1
}

unit_names() { cut -d'|' -f1 "$UNITS"; }

# conf_get FILE SECTION KEY: the value, as oslo.config reads an INI file
conf_get() {
  awk -v s="[$2]" -v k="$3" '
    { sub(/\r$/, "") }
    /^[ \t]*\[/ { f = ($0 == s); next }
    f {
      line = $0; sub(/^[ \t]+/, "", line)
      if (index(line, k) == 1) {
        rest = substr(line, length(k) + 1)
        if (rest ~ /^[ \t]*=/) { sub(/^[ \t]*=[ \t]*/, "", rest); print rest; exit }
      }
    }' "$1"
}

# conf_valid FILE: the file exists and every line is a comment, a [section] or key = value
conf_valid() {
  [ -e "$1" ] || { echo "config missing: $1"; return 1; }
  [ -r "$1" ] || { echo "config unreadable: $1"; return 1; }
  _bad=$(LC_ALL=C awk '
    { sub(/\r$/, "") }
    /^[ \t]*$/ || /^[ \t]*[#;]/ { next }
    /^\[[A-Za-z0-9_:. -]+\][ \t]*$/ { next }
    /^[ \t]*[A-Za-z0-9_.:\/-]+[ \t]*=/ && !/[\001-\010\016-\037\177-\377]/ { next }
    { print NR; exit }' "$1")
  [ -z "$_bad" ] || { echo "config invalid: $1 line $_bad"; return 1; }
}

# db_check CONF SECTION TABLE: connect with the section's connection string, count rows
db_check() {
  _url=$(conf_get "$1" "$2" connection)
  [ -n "$_url" ] || { echo "no [$2] connection in $1"; return 1; }
  _rest=${_url#*://}
  _cred=${_rest%%@*}
  _rest=${_rest#*@}
  _user=${_cred%%:*}
  _pass=${_cred#*:}
  _hp=${_rest%%/*}
  _db=${_rest#*/}
  _db=${_db%%\?*}
  _host=${_hp%%:*}
  _port=3306
  case $_hp in *:*) _port=${_hp#*:} ;; esac
  if _out=$(MYSQL_PWD=$_pass mysql --no-defaults --connect-timeout=3 -h "$_host" -P "$_port" -u "$_user" \
    -N -B -e "SELECT COUNT(*) FROM \`$3\`" "$_db" 2>&1); then
    echo "$_db.$3 $_out rows"
  else
    echo "[$2] $_db.$3: $(echo "$_out" | head -n 1)"
    return 1
  fi
}

# health: checks of the loaded unit; one line saying what is fine or what is wrong
health() {
  if [ "$U_NAME" = mariadb ]; then
    if _v=$(mysql --no-defaults -S "$SOCK" -u root -N -B -e 'SELECT VERSION()' 2>&1); then
      echo "mariadb $_v accepting connections"
      return 0
    fi
    echo "$(echo "$_v" | head -n 1)"
    return 1
  fi
  if [ "$U_CONF" != - ]; then conf_valid "$U_CONF" || return 1; fi
  _msgs=""
  _ifs=$IFS
  IFS=,
  set -f
  for _c in $U_CHECKS; do
    IFS=$_ifs
    case $_c in
      db:*)
        _sec=${_c#db:}
        _tab=${_sec#*:}
        _sec=${_sec%%:*}
        _m=$(db_check "$U_CONF" "$_sec" "$_tab") || { set +f; echo "$_m"; return 1; }
        ;;
      dir:*)
        [ -d "${_c#dir:}" ] || { set +f; echo "missing directory ${_c#dir:}"; return 1; }
        _m="${_c#dir:} present"
        ;;
      gz:*)
        gzip -t "${_c#gz:}" 2>/dev/null || { set +f; echo "unreadable ${_c#gz:}"; return 1; }
        _m="${_c#gz:} ok"
        ;;
      http:*) # a real API: it answers HTTP (any status below 500)
        _code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "${_c#http:}" 2>/dev/null)
        case $_code in
          [1-4]??) _m="${_c#http:} answers $_code" ;;
          *) set +f; echo "${_c#http:} does not answer (HTTP ${_code:-000})"; return 1 ;;
        esac
        ;;
      tcp:*) # host:port accepts connections
        _hp=${_c#tcp:}
        timeout 3 bash -c "exec 3<>/dev/tcp/${_hp%:*}/${_hp##*:}" 2>/dev/null || { set +f; echo "nothing listens on $_hp"; return 1; }
        _m="$_hp listening"
        ;;
    esac
    _msgs="${_msgs:+$_msgs, }$_m"
  done
  IFS=$_ifs
  set +f
  # A real daemon without an answer to ask (conductor, scheduler, compute, volume): it runs.
  [ -n "$_msgs" ] || [ -z "$U_CMD" ] || _msgs="running"
  echo "${_msgs:-config ok}"
}

# alive PID: running (a zombie waiting to be reaped does not count)
alive() {
  [ -r "/proc/$1/stat" ] || return 1
  _st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
  [ -n "$_st" ] && [ "$_st" != Z ] && [ "$_st" != X ]
}

pid_of() {
  [ -s "$STATE/$1.pid" ] || return 1
  _p=$(cat "$STATE/$1.pid")
  alive "$_p" || return 1
  echo "$_p"
}

# state_of NAME (loaded): sets S_STATE (active activating failed inactive), S_SUB, S_PID, S_MSG
state_of() {
  S_PID="" S_MSG=""
  if S_PID=$(pid_of "$U_NAME"); then
    if S_MSG=$(health); then S_STATE=active S_SUB=running; else S_STATE=activating S_SUB=start; fi
  elif [ -e "$STATE/$U_NAME.failed" ]; then
    S_STATE=failed S_SUB=failed S_MSG=$(cat "$STATE/$U_NAME.failed")
  elif [ -e "$STATE/$U_NAME.pid" ]; then
    S_STATE=failed S_SUB=failed S_MSG="main process $(cat "$STATE/$U_NAME.pid") exited unexpectedly"
  else
    S_STATE=inactive S_SUB=dead S_MSG=""
  fi
}
