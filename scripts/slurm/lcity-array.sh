#!/usr/bin/env bash
# lcity-array.sh: run lcity on a Slurm cluster as an array job of N shards
# and a merge job that starts when all of them have succeeded.
#
#   scripts/slurm/lcity-array.sh [--wait] N OUT [lcity run flags...]
#
# Run it on the login node, in the folder the paths are relative to (the
# jobs start in it). It submits
#   1. an array job of N tasks; task I runs
#        lcity run --shard I/N --out OUT.parts/shard-I [flags]
#      (the I-th of N slices of the corpus, ingested and coded);
#   2. a job with --dependency=afterok on the array that runs
#        lcity merge OUT OUT.parts/shard-1 ... OUT.parts/shard-N
#      (index, analysis and report of the whole corpus, byte for byte what
#      one `lcity run` makes), cancelled if a shard fails.
# It prints the two job IDs; with --wait it waits for the merge and exits
# with its status. Slurm logs go to OUT.parts/slurm-*.out.
#
# Environment:
#   LCITY              the lcity binary (default: lcity on PATH), made
#                      absolute at submission
#   LCITY_SBATCH_ARGS  more sbatch options for both jobs, e.g.
#                      "--partition=short --time=04:00:00 --mem=4G"
#   LCITY_SHARD_ARGS   more sbatch options for the shards only, e.g.
#                      "--cpus-per-task=4" (lcity then runs 4 workers)
#
# A shard that exits 1 (some inputs failed; they are recorded in its
# failures.csv) counts as done: the merge lists every failure and exits 1.
# Exit status: 0 submitted (or, with --wait, merged); 2 bad usage; else the
# failing command's.
set -euo pipefail

usage() {
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
}

case "${1:-}" in
--shard-task)
	# In the array task: $2 N, $3 parts folder, then lcity run's flags.
	n=$2 parts=$3
	shift 3
	i=${SLURM_ARRAY_TASK_ID:?not in a Slurm array task}
	workers=()
	[ -n "${SLURM_CPUS_PER_TASK:-}" ] && workers=(--workers "$SLURM_CPUS_PER_TASK")
	rc=0
	"$LCITY" run --shard "$i/$n" --out "$parts/shard-$i" "${workers[@]}" "$@" || rc=$?
	[ "$rc" -le 1 ] || exit "$rc"
	exit 0
	;;
--merge-task)
	# In the merge job: $2 N, $3 parts folder, $4 OUT.
	n=$2 parts=$3 out=$4
	args=()
	for i in $(seq 1 "$n"); do args+=("$parts/shard-$i"); done
	exec "$LCITY" merge "$out" "${args[@]}"
	;;
esac

wait_merge=()
if [ "${1:-}" = --wait ]; then
	wait_merge=(--wait)
	shift
fi
[ $# -ge 2 ] || usage
n=$1 out=$2
shift 2
case "$n" in '' | *[!0-9]* | 0) echo "lcity-array.sh: N must be a positive number, not '$n'" >&2; exit 2 ;; esac
for a in "$@"; do
	case "$a" in --out | --out=* | --shard | --shard=*)
		echo "lcity-array.sh: $a is set by the script (OUT and N are its arguments)" >&2
		exit 2
		;;
	esac
done

LCITY=${LCITY:-$(command -v lcity || true)}
[ -n "$LCITY" ] || { echo "lcity-array.sh: no lcity on PATH; set LCITY to the binary" >&2; exit 2; }
LCITY=$(cd "$(dirname "$LCITY")" && pwd)/$(basename "$LCITY")
export LCITY
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
parts=$out.parts
mkdir -p "$parts"

read -r -a common <<<"${LCITY_SBATCH_ARGS:-}"
read -r -a shard_opts <<<"${LCITY_SHARD_ARGS:-}"

array=$(sbatch --parsable --export=ALL --job-name=lcity-shard --array="1-$n" \
	--output="$parts/slurm-%A_%a.out" "${common[@]}" "${shard_opts[@]}" \
	"$self" --shard-task "$n" "$parts" "$@")
array=${array%%;*}
echo "lcity-array.sh: shards: job $array (array 1-$n) → $parts/shard-1..$n"
merge=$(sbatch --parsable --export=ALL --job-name=lcity-merge --dependency="afterok:$array" --kill-on-invalid-dep=yes \
	--output="$parts/slurm-%j-merge.out" "${common[@]}" "${wait_merge[@]}" \
	"$self" --merge-task "$n" "$parts" "$out") || {
	rc=$?
	echo "lcity-array.sh: merge job ended with status $rc (see $parts/slurm-*-merge.out)" >&2
	exit "$rc"
}
merge=${merge%%;*}
echo "lcity-array.sh: merge: job $merge (after $array succeeds) → $out"
