#!/bin/bash
# The guest-side suite runner: runs case scripts inside one booted guest,
# up to JOBS at a time, and prints one PASS/FAIL/SKIP line per case and
# transport.  Logs of failed cases are kept in the job directory.
#   guest-suite.sh --builddir DIR [--jobs N] [--filter REGEX] [--keep] CASE.sh...
# --keep keeps the logs of every case, not only of failed ones.
# Case headers (comment lines near the top of a case):
#   # transports: rxe siw     run once per transport (TRANSPORT=...)
#   # lock: NAME              cases sharing a lock never run at once (%T = transport)
#   # timeout: SECONDS        per-case limit (default 300)
set -u

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=$srcdir
jobs=2
filter=
keep=no
while [ $# -gt 0 ]; do
	case $1 in
	--builddir) builddir=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	--filter) filter=$2; shift 2 ;;
	--keep) keep=yes; shift ;;
	*) break ;;
	esac
done

out=/tmp/vmio
logs=$out/logs
mkdir -p "$logs" /tmp/cases /tmp/locks

header()
{
	sed -n "s/^# $2: *//p" "$1" | head -n 1
}

# Expand the case files into "file transport" runs.
runs=()
for f in "$@"; do
	ts=$(header "$f" transports)
	for t in ${ts:-rxe}; do
		name="$(basename "$f" .sh)[$t]"
		if [ -n "$filter" ] && ! [[ $name =~ $filter ]]; then
			continue
		fi
		runs+=("$f $t")
	done
done

declare -A job_name=() job_start=()
pass=0 failed=0 skipped=0 failed_names=
port=20000

run_case()
{
	local f=$1 t=$2 name=$3 case_port=$4
	local tmo lock tmp=/tmp/cases/$name

	tmo=$(header "$f" timeout)
	lock=$(header "$f" lock)
	lock=${lock//%T/$t}
	rm -rf "$tmp"
	mkdir -p "$tmp"
	export TRANSPORT=$t BUILDDIR=$builddir SRCDIR=$srcdir CASE_TMP=$tmp CASE_PORT=$case_port
	if [ -n "$lock" ]; then
		exec 9>"/tmp/locks/$lock"
		flock 9
	fi
	timeout -k 10 "${tmo:-300}" bash "$f" >"$tmp/case.log" 2>&1
}

finish()
{
	local pid=$1 rc=$2 name=${job_name[$1]} secs=$((SECONDS - ${job_start[$1]}))
	local log=/tmp/cases/$name/case.log

	case $rc in
	0) pass=$((pass + 1)); echo "PASS: $name (${secs}s)" ;;
	77) skipped=$((skipped + 1)); echo "SKIP: $name: $(grep -m1 '^SKIP:' "$log" | cut -c7-)" ;;
	*)
		failed=$((failed + 1))
		failed_names="$failed_names $name"
		[ "$rc" = 124 ] && rc="$rc (timeout)"
		echo "FAIL: $name (exit $rc, ${secs}s) log: logs/$name/"
		mkdir -p "$logs/$name"
		cp -r /tmp/cases/"$name"/. "$logs/$name/"
		sed 's/^/    | /' "$log" | tail -n 25
		;;
	esac
	if [ "$keep" = yes ] && [ ! -d "$logs/$name" ]; then
		mkdir -p "$logs/$name"
		cp -r /tmp/cases/"$name"/. "$logs/$name/"
	fi
	unset "job_name[$pid]" "job_start[$pid]"
}

reap_one()
{
	local pid rc
	wait -n -p pid
	rc=$?
	finish "$pid" "$rc"
}

for r in "${runs[@]}"; do
	set -- $r
	name="$(basename "$1" .sh)[$2]"
	while [ ${#job_name[@]} -ge "$jobs" ]; do
		reap_one
	done
	run_case "$1" "$2" "$name" "$port" &
	job_name[$!]=$name
	job_start[$!]=$SECONDS
	port=$((port + 100))
done
while [ ${#job_name[@]} -gt 0 ]; do
	reap_one
done

echo "guest suite: $pass passed, $failed failed, $skipped skipped (of ${#runs[@]})"
[ $failed -eq 0 ] || echo "failed:$failed_names"
printf '%s %s %s\n' "$pass" "$failed" "$skipped" >"$out/summary"
[ $failed -eq 0 ]
