#ifndef TENANTSYNC_CLDAP_SHIM_H
#define TENANTSYNC_CLDAP_SHIM_H
#include <sys/time.h>
#include <lber.h>
#include <ldap.h>

/* Puts liblber's read-ahead layer on top of the connection's socket buffer, so that many small messages are read
 * with one read(2) and ldap_result() finds them buffered instead of polling the socket for each. A C function because
 * the layer's descriptor is a mutable C global, which Swift's strict concurrency will not take the address of. */
static inline int tenantsync_add_read_ahead(LDAP *ld, ber_len_t size) {
    Sockbuf *sockbuf = NULL;
    if (ldap_get_option(ld, LDAP_OPT_SOCKBUF, &sockbuf) != LDAP_OPT_SUCCESS || sockbuf == NULL) return -1;
    if (ber_sockbuf_add_io(sockbuf, &ber_sockbuf_io_readahead, LBER_SBIOD_LEVEL_APPLICATION, NULL) != 0) return -1;
    return ber_sockbuf_ctrl(sockbuf, LBER_SB_OPT_SET_READAHEAD, &size) == 1 ? 0 : -1;
}
#endif
