// Stand-ins for the libcurl functions that Foundation's URLSession (FoundationNetworking) calls,
// linked into the release binary only (scripts/release.sh builds them into a libcurl.a that is
// searched instead of the system's).
//
// Why: --static-swift-stdlib links Foundation in statically, and FoundationNetworking comes with
// it because FlyingFox (the HTTP endpoint) has a proxy handler that imports it. Its C part calls
// libcurl, so the static link needs -lcurl, and the binary would then need libcurl and its
// dependencies (OpenSSL, nghttp2, Kerberos, LDAP, ...) on the target machine. trailhound never
// uses URLSession: its HTTP is FlyingFox's and its own sockets (Service/HTTPPost.swift). These
// stand-ins keep the binary to glibc, libstdc++, zlib and SQLite. If anything ever did call one,
// it stops with this message rather than misbehave; curl_global_init and curl_version answer
// (failure, "unavailable") so that merely loading Foundation can never stop the program.
#include <stdio.h>
#include <stdlib.h>

static void unavailable(const char *name) {
    fprintf(stderr, "trailhound: internal error: %s called, but this build has no libcurl (URLSession is not used)\n", name);
    abort();
}

int curl_global_init(long flags) { (void)flags; return 2; /* CURLE_FAILED_INIT */ }

char *curl_version(void) { return "unavailable"; }

void curl_easy_cleanup(void) { unavailable("curl_easy_cleanup"); }
void curl_easy_getinfo(void) { unavailable("curl_easy_getinfo"); }
void curl_easy_init(void) { unavailable("curl_easy_init"); }
void curl_easy_pause(void) { unavailable("curl_easy_pause"); }
void curl_easy_setopt(void) { unavailable("curl_easy_setopt"); }
void curl_easy_strerror(void) { unavailable("curl_easy_strerror"); }
void curl_free(void) { unavailable("curl_free"); }
void curl_multi_add_handle(void) { unavailable("curl_multi_add_handle"); }
void curl_multi_assign(void) { unavailable("curl_multi_assign"); }
void curl_multi_cleanup(void) { unavailable("curl_multi_cleanup"); }
void curl_multi_info_read(void) { unavailable("curl_multi_info_read"); }
void curl_multi_init(void) { unavailable("curl_multi_init"); }
void curl_multi_remove_handle(void) { unavailable("curl_multi_remove_handle"); }
void curl_multi_setopt(void) { unavailable("curl_multi_setopt"); }
void curl_multi_socket_action(void) { unavailable("curl_multi_socket_action"); }
void curl_slist_append(void) { unavailable("curl_slist_append"); }
void curl_slist_free_all(void) { unavailable("curl_slist_free_all"); }
void curl_url(void) { unavailable("curl_url"); }
void curl_url_get(void) { unavailable("curl_url_get"); }
void curl_url_set(void) { unavailable("curl_url_set"); }
void curl_version_info(void) { unavailable("curl_version_info"); }
