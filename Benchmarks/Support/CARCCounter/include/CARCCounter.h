#ifndef CARCCOUNTER_H
#define CARCCOUNTER_H
#include <stdint.h>

/// Routes swift_retain / swift_release (and their _n forms) through counting hooks, once per
/// process. Uses the Swift runtime's own hook pointers (the ones Instruments uses), so every
/// retain and release in the process is counted, on every thread.
void trailhound_arc_hook(void);
/// Retains counted since the hook was installed (a retain_n of n counts n).
uint64_t trailhound_arc_retains(void);
/// Releases counted since the hook was installed.
uint64_t trailhound_arc_releases(void);

#endif
