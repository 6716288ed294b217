# SPDX-License-Identifier: BSD-2-Clause
#
# Result counting shared by the integration tests (sourced):
#
#   report ok|fail NAME [OUTPUT]        counts one result; a failure prints
#                                       NAME and the first 8 lines of OUTPUT
#   expect NAME STATUS TEXT COMMAND...  COMMAND (stdin from /dev/null) must
#                                       exit STATUS, and its stdout and
#                                       stderr contain TEXT when TEXT is given
#   same NAME ACTUAL EXPECTED           the two strings must be equal
#   summary                             prints "N passed, N failed" and exits,
#                                       non-zero when anything failed
#
# PG_TEST_VERBOSE=1 also prints the results that passed.

pass=0
fail=0

report() {
        if [ "$1" = ok ]; then
                pass=$((pass + 1))
                [ -z "${PG_TEST_VERBOSE:-}" ] || echo "ok   $2"
        else
                fail=$((fail + 1))
                echo "FAIL $2"
                [ -z "${3:-}" ] || sed 's/^/    /' <<<"$3" | head -n 8
        fi
}

expect() {
        local name=$1 status=$2 text=$3 out rc
        shift 3
        out=$("$@" 2>&1 </dev/null)
        rc=$?
        if [ "$rc" -eq "$status" ] && { [ -z "$text" ] || grep -qF -- "$text" <<<"$out"; }; then
                report ok "$name"
        else
                report fail "$name: exit $rc, expected $status${text:+ with \"$text\"}" "$out"
        fi
}

same() {
        if [ "$2" = "$3" ]; then
                report ok "$1"
        else
                report fail "$1: got '$2', expected '$3'"
        fi
}

summary() {
        echo "$pass passed, $fail failed"
        [ "$fail" -eq 0 ]
        exit
}
