#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the bind password is read from. The password is never part of the configuration value: it is
/// read when needed with ``load(environment:)`` and never appears in an error or description.
public enum BindPasswordSource: Sendable, Equatable, CustomStringConvertible {
    /// `passwordFile`: a file readable only by its owner (mode 0600 or 0400).
    case file(Located<String>)
    /// `credential`: a systemd credential, read from `$CREDENTIALS_DIRECTORY/<name>`.
    case credential(Located<String>)

    /// The key path of the source in the configuration.
    public var keyPath: String {
        switch self {
        case .file: "directory.bind.passwordFile"
        case .credential: "directory.bind.credential"
        }
    }

    /// Where the source is configured.
    public var location: SourceLocation {
        switch self {
        case .file(let path): path.location
        case .credential(let name): name.location
        }
    }

    /// Names the source, never the secret.
    public var description: String {
        switch self {
        case .file(let path): "password file \(path.value)"
        case .credential(let name): "credential \(name.value)"
        }
    }

    /// Whether this is a credential that cannot be looked up here: `$CREDENTIALS_DIRECTORY` is not set, as in
    /// a shell outside the service that systemd gives the credential to.
    public func isCredentialOutsideService(environment: [String: String]) -> Bool {
        guard case .credential = self else { return false }
        return environment["CREDENTIALS_DIRECTORY"]?.isEmpty ?? true
    }

    /// The file the password is read from, or an error when it cannot be named
    /// (`$CREDENTIALS_DIRECTORY` unset for a credential).
    public func passwordPath(environment: [String: String]) -> Result<String, ConfigError> {
        switch self {
        case .file(let path):
            return .success(path.value)
        case .credential(let name):
            guard let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else {
                return .failure(ConfigError(
                    at: location, keyPath: keyPath,
                    message: "credential \(name.value) needs $CREDENTIALS_DIRECTORY, which is not set",
                    hint: "run under systemd with LoadCredential=\(name.value):PATH, or use passwordFile"
                ))
            }
            let separator = directory.hasSuffix("/") ? "" : "/"
            return .success(directory + separator + name.value)
        }
    }

    /// Reads the password: checks that the file exists, is a regular file, is not accessible by group or
    /// others (password files only: systemd protects credentials itself) and is not empty; strips the
    /// trailing line break.
    public func load(environment: [String: String]) throws(ConfigErrors) -> String {
        let path: String
        switch passwordPath(environment: environment) {
        case .success(let resolved): path = resolved
        case .failure(let error): throw ConfigErrors([error])
        }
        if let problem = checkFile(at: path) { throw ConfigErrors([problem]) }
        let bytes: [UInt8]
        do {
            bytes = try Self.readFile(at: path)
        } catch {
            throw ConfigErrors([fileError("cannot read \(path): \(error.message)")])
        }
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        guard end > bytes.startIndex else {
            throw ConfigErrors([fileError(
                "\(path) is empty", hint: "an empty password would make the bind unauthenticated"
            )])
        }
        guard let password = String(validating: bytes[..<end], as: UTF8.self) else {
            throw ConfigErrors([fileError("\(path) is not valid UTF-8")])
        }
        return password
    }

    private func checkFile(at path: String) -> ConfigError? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT {
                let what = if case .file = self { "password file" } else { "credential file" }
                return fileError(
                    "\(what) \(path) does not exist",
                    hint: "create it with mode 0600 holding only the password"
                )
            }
            return fileError("cannot read \(path): \(String(cString: strerror(code)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            return fileError("\(path) is not a regular file")
        }
        if case .file = self, info.st_mode & 0o077 != 0 {
            let mode = String(info.st_mode & 0o777, radix: 8)
            let access = info.st_mode & 0o044 != 0 ? "readable" : "accessible"
            return fileError(
                "password file \(path) is \(access) by group or others (mode 0\(mode))",
                hint: "chmod 600 \(path)"
            )
        }
        return nil
    }

    private func fileError(_ message: String, hint: String? = nil) -> ConfigError {
        ConfigError(at: location, keyPath: keyPath, message: message, hint: hint)
    }

    private struct ReadError: Error { var message: String }

    private static func readFile(at path: String) throws(ReadError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ReadError(message: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(message: String(cString: strerror(errno)))
            }
            if count == 0 { return result }
            result.append(contentsOf: buffer[..<count])
        }
    }
}
