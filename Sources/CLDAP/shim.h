#ifndef TENANTSYNC_CLDAP_SHIM_H
#define TENANTSYNC_CLDAP_SHIM_H
#include <sys/time.h>
#include <lber.h>
#include <ldap.h>
#endif
