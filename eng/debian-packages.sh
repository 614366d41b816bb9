# Sourced by eng/run.sh and eng/test.sh: finds and installs the Debian packages a script starts for real.

# missing_debian_packages PACKAGE…: prints those not installed, one per line.
missing_debian_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

# install_debian_packages SCRIPT PACKAGE…: one `apt-get update`, then `apt-get install -y` of them all (nothing
# to do without packages); not root: fails with the command to run.
install_debian_packages() {
  local who=$1
  shift
  [ $# -gt 0 ] || return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "$who: missing Debian packages: $* (run as root or: sudo apt-get install -y $*)" >&2
    exit 1
  fi
  echo "$who: installing $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
