#ifndef TRAILHOUND_CBUILDINFO_H
#define TRAILHOUND_CBUILDINFO_H

/// The commit the binary was built from ("dev" when the build did not say).
const char *trailhound_build_commit(void);

/// When the binary was built, ISO 8601 UTC ("dev" when the build did not say).
const char *trailhound_build_date(void);

#endif
