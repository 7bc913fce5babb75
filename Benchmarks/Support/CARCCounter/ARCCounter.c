// Retain/release counters for the micro-benchmarks (package-benchmark's own ARC counters need
// swift-runtime-interposer, which is not available here). The Swift runtime calls through
// these hook pointers when _swift_enableSwizzlingOfAllocationAndRefCountingFunctions_forInstrumentsOnly
// is set; swapping them in costs one indirect call per retain, in benchmarks only.
#include "CARCCounter.h"
#include <stdatomic.h>
#include <stdbool.h>

extern bool _swift_enableSwizzlingOfAllocationAndRefCountingFunctions_forInstrumentsOnly;
extern void *(*_swift_retain)(void *);
extern void (*_swift_release)(void *);
extern void *(*_swift_retain_n)(void *, uint32_t);
extern void (*_swift_release_n)(void *, uint32_t);

static void *(*original_retain)(void *);
static void (*original_release)(void *);
static void *(*original_retain_n)(void *, uint32_t);
static void (*original_release_n)(void *, uint32_t);
static _Atomic uint64_t retains;
static _Atomic uint64_t releases;

static void *counting_retain(void *o) {
  atomic_fetch_add_explicit(&retains, 1, memory_order_relaxed);
  return original_retain(o);
}

static void counting_release(void *o) {
  atomic_fetch_add_explicit(&releases, 1, memory_order_relaxed);
  original_release(o);
}

static void *counting_retain_n(void *o, uint32_t n) {
  atomic_fetch_add_explicit(&retains, n, memory_order_relaxed);
  return original_retain_n(o, n);
}

static void counting_release_n(void *o, uint32_t n) {
  atomic_fetch_add_explicit(&releases, n, memory_order_relaxed);
  original_release_n(o, n);
}

void trailhound_arc_hook(void) {
  static atomic_flag done = ATOMIC_FLAG_INIT;
  if (atomic_flag_test_and_set(&done)) return;
  original_retain = _swift_retain;
  original_release = _swift_release;
  original_retain_n = _swift_retain_n;
  original_release_n = _swift_release_n;
  _swift_retain = counting_retain;
  _swift_release = counting_release;
  _swift_retain_n = counting_retain_n;
  _swift_release_n = counting_release_n;
  _swift_enableSwizzlingOfAllocationAndRefCountingFunctions_forInstrumentsOnly = true;
}

uint64_t trailhound_arc_retains(void) { return atomic_load_explicit(&retains, memory_order_relaxed); }

uint64_t trailhound_arc_releases(void) { return atomic_load_explicit(&releases, memory_order_relaxed); }
