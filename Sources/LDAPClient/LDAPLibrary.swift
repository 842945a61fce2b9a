#if canImport(Glibc)
import Glibc
#endif

/// Process-wide set-up of libldap.
public enum LDAPLibrary {
    /// Keeps libldap from loading Cyrus SASL's plugins. Connections here bind with a password (a simple bind) and
    /// never use SASL, but libldap sets SASL up on its first call, and SASL then opens every plugin in its plugin
    /// folder, OpenSSL with some of them: 4–5 ms before the first connection, a tenth of a delta run. SASL looks for
    /// plugins where `SASL_PATH` says; it is pointed at a file that is no folder, unless the environment already sets
    /// it (SASL then finds no plugin and libldap goes on).
    ///
    /// Changes the process's environment: call it first thing, before other threads may read the environment.
    public static func skipSASLPlugins() {
        setenv("SASL_PATH", "/dev/null", 0)
    }
}
