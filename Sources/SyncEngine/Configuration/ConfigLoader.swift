#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds, reads and validates the configuration file.
public enum ConfigLoader {
    /// The path used when neither `--config` nor `$TENANTSYNC_CONFIG` is given.
    public static let systemPath = "/etc/tenantsync/tenantsync.yaml"

    /// `$TENANTSYNC_CONFIG` when set and not empty, else ``systemPath``. (`--config` wins over both; the
    /// command line handles that.)
    public static func defaultPath(environment: [String: String]) -> String {
        if let path = environment["TENANTSYNC_CONFIG"], !path.isEmpty { return path }
        return systemPath
    }

    /// Reads `path`, decodes and validates it, and checks the bind password source (the file exists,
    /// is not readable by group or others and is not empty; a credential's directory is set). The
    /// password is read only to check it and then dropped: load it with
    /// ``BindPasswordSource/load(environment:)`` when binding.
    ///
    /// Errors name the file as `path` was given. Every problem found is thrown together.
    /// With `credentialOutsideServiceAllowed`, a credential that cannot be looked up because
    /// `$CREDENTIALS_DIRECTORY` is not set is left unchecked (an offline `check-config` from a shell).
    public static func load(
        path: String, environment: [String: String], credentialOutsideServiceAllowed: Bool = false
    ) throws(ConfigErrors) -> TenantSyncConfig {
        let text: String
        switch readText(path) {
        case .success(let contents): text = contents
        case .failure(let error): throw ConfigErrors([error])
        }
        return try ConfigDecoder.decode(
            yaml: text, file: path, environment: environment, checkingSecrets: true,
            credentialOutsideServiceAllowed: credentialOutsideServiceAllowed)
    }

    private static func readText(_ path: String) -> Result<String, ConfigError> {
        func failure(_ message: String, hint: String? = nil) -> Result<String, ConfigError> {
            .failure(ConfigError(file: path, line: 1, column: 1, keyPath: "", message: message, hint: hint))
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT {
                return failure("configuration file does not exist",
                               hint: "pass --config PATH or set TENANTSYNC_CONFIG")
            }
            return failure("cannot read the configuration file: \(String(cString: strerror(code)))")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return failure("cannot read the configuration file: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[..<count])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return failure("the configuration file is not valid UTF-8")
        }
        return .success(text)
    }
}
