// libFuzzer's driver entry point (compiler-rt, linked by -sanitize=fuzzer), declared for Swift.
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/// The entry point every fuzz target's `<Target>_main` forwards to.
static inline int trailhound_fuzz_main(int argc, char **argv, int (*callback)(const uint8_t *data, size_t size)) {
    return LLVMFuzzerRunDriver(&argc, &argv, callback);
}
