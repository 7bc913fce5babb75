# Shared by the benchmarks that count under valgrind's callgrind (arc.sh, rules-cost.sh); sourced,
# not run. The caller sets $top, $archive and $work and defines die().

# cg_setup: checks valgrind and the archive, and sets $bin to the binary to measure
# (TRAILHOUND_BIN, or the release build).
cg_setup() {
  command -v valgrind >/dev/null || die "valgrind is not installed (apt-get install -y valgrind)"
  [ -d "$archive/AWSLogs" ] || die "no archive at $archive (run 'bash Benchmarks/run.sh' once to generate it)"
  bin="${TRAILHOUND_BIN:-$(cd "$top" && swift build -c release --show-bin-path 2>/dev/null)/trailhound}"
  [ -x "$bin" ] || die "no trailhound binary at $bin (swift build -c release, or set TRAILHOUND_BIN)"
}

# cg_strip: valgrind gives up on the debug information of a Swift release build; $bin becomes a
# copy without it, in $work.
cg_strip() {
  if command -v objcopy >/dev/null; then
    objcopy --strip-debug "$bin" "$work/trailhound"
    bin="$work/trailhound"
  fi
}

# cg_events DIR: prints how many events `scan DIR` reads; dies when it reads none.
cg_events() {
  local n
  n="$("$bin" scan "$1" --jobs 1 --no-progress --no-rules --format json 2>&1 >/dev/null \
    | sed -n 's/.* \([0-9][0-9]*\) events .*/\1/p' | head -1)"
  [ -n "$n" ] && [ "$n" -gt 0 ] || die "could not count the events of $1"
  echo "$n"
}
