// Build stamp. Swift's -D flags carry no values, a C define can: Package.swift passes
// TRAILHOUND_BUILD_COMMIT and TRAILHOUND_BUILD_DATE from the environment of `swift build`
// (scripts/release.sh sets them), so no generated file is committed or left behind.
#include "CBuildInfo.h"

#ifndef TRAILHOUND_BUILD_COMMIT
#define TRAILHOUND_BUILD_COMMIT "dev"
#endif
#ifndef TRAILHOUND_BUILD_DATE
#define TRAILHOUND_BUILD_DATE "dev"
#endif

const char *trailhound_build_commit(void) { return TRAILHOUND_BUILD_COMMIT; }

const char *trailhound_build_date(void) { return TRAILHOUND_BUILD_DATE; }
