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
#   # slow: yes               start this case before the others
# The scheduler never starts a case whose lock is held, so a waiting case
# does not occupy a job slot.
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
mkdir -p "$logs" /tmp/cases

header()
{
	sed -n "s/^# $2: *//p" "$1" | head -n 1
}

# Expand the case files into "file transport lock" runs, slow cases first.
slow_runs=() other_runs=()
for f in "$@"; do
	ts=$(header "$f" transports)
	lk=$(header "$f" lock)
	for t in ${ts:-rxe}; do
		name="$(basename "$f" .sh)[$t]"
		if [ -n "$filter" ] && ! [[ $name =~ $filter ]]; then
			continue
		fi
		l=${lk//%T/$t}
		if [ "$(header "$f" slow)" = yes ]; then
			slow_runs+=("$f $t ${l:--}")
		else
			other_runs+=("$f $t ${l:--}")
		fi
	done
done
runs=("${slow_runs[@]}" "${other_runs[@]}")

declare -A job_name=() job_start=() job_lock=() held=()
pass=0 failed=0 skipped=0 failed_names=
port=20000

run_case()
{
	local f=$1 t=$2 name=$3 case_port=$4
	local tmo tmp=/tmp/cases/$name

	tmo=$(header "$f" timeout)
	rm -rf "$tmp"
	mkdir -p "$tmp"
	export TRANSPORT=$t BUILDDIR=$builddir SRCDIR=$srcdir CASE_TMP=$tmp CASE_PORT=$case_port
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
		sed 's/^/    | /' "$log" | tail -n 25
		;;
	esac
	# Failed cases keep their logs; with --keep every case does.
	if [ "$keep" = yes ] || { [ "$rc" != 0 ] && [ "$rc" != 77 ]; }; then
		mkdir -p "$logs/$name"
		cp -r /tmp/cases/"$name"/. "$logs/$name/"
	fi
	[ "${job_lock[$pid]}" = - ] || unset "held[${job_lock[$pid]}]"
	unset "job_name[$pid]" "job_start[$pid]" "job_lock[$pid]"
}

reap_one()
{
	local pid rc
	wait -n -p pid
	rc=$?
	finish "$pid" "$rc"
}

# The first pending run whose lock is free, or nothing.
next_run()
{
	local i
	for i in "${!pending[@]}"; do
		set -- ${pending[$i]}
		if [ "$3" = - ] || [ -z "${held[$3]:-}" ]; then
			echo "$i"
			return
		fi
	done
}

pending=("${runs[@]}")
while [ ${#pending[@]} -gt 0 ]; do
	i=
	[ ${#job_name[@]} -lt "$jobs" ] && i=$(next_run)
	if [ -z "$i" ]; then
		reap_one
		continue
	fi
	set -- ${pending[$i]}
	unset "pending[$i]"
	name="$(basename "$1" .sh)[$2]"
	run_case "$1" "$2" "$name" "$port" &
	job_name[$!]=$name
	job_start[$!]=$SECONDS
	job_lock[$!]=$3
	[ "$3" = - ] || held[$3]=1
	port=$((port + 100))
done
while [ ${#job_name[@]} -gt 0 ]; do
	reap_one
done

echo "guest suite: $pass passed, $failed failed, $skipped skipped (of ${#runs[@]})"
[ $failed -eq 0 ] || echo "failed:$failed_names"
printf '%s %s %s\n' "$pass" "$failed" "$skipped" >"$out/summary"
[ $failed -eq 0 ]
